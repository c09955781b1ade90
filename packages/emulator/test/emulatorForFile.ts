/**
 * One emulator for a whole test file. Awaited at the top level of the file, it starts while
 * vitest collects the file and is closed after the file's last test.
 */
import { afterAll } from 'vitest'
import { type Emulator, type EmulatorOptions, startEmulator } from '../src/index.js'

/** Starts an emulator with `options` and registers its `close()` to run after the file's tests. */
export const emulatorForFile = async (options: EmulatorOptions = {}): Promise<Emulator> => {
  const emulator = await startEmulator(options)
  afterAll(() => emulator.close())
  return emulator
}
