/**
 * The emulator of every hosting environment (`@azmi/emulator`) for the tests that talk to it:
 * one per test file, reset between its tests, or one per test, for tests that run
 * concurrently and so must never share one.
 */
import { type Emulator, type EmulatorOptions, environmentNames, startEmulator } from '@azmi/emulator'
import { afterAll, afterEach, beforeAll } from 'vitest'
import { resourcesOf, type TestScope } from './testResources.js'

/**
 * Forget what a test may have left in a shared emulator: recorded requests, scripted faults,
 * outages, a switch to Service Fabric's alternate certificate or to the legacy Arc agent.
 */
export const resetEmulator = (emulator: Emulator): void => {
  for (const environment of environmentNames) {
    emulator.script(environment, [])
    emulator.endOutage(environment)
  }
  emulator.useServiceFabricCertificate('primary')
  emulator.setArcAgent('current')
  emulator.clearRequests()
}

/**
 * One emulator for the whole file, started before its tests and closed after them. After
 * each test the recorded requests are forgotten, every fault queue and outage is ended and
 * Service Fabric serves its primary certificate again, so nothing leaks into the next test.
 * Call at the top level of the file; the function returned gives the running emulator.
 *
 * @example
 * ```ts
 * const emulator = emulatorPerFile()
 * test('App Service', async () => {
 *   const credential = new ManagedIdentityCredential({ env: emulator().env('AppService') })
 * })
 * ```
 */
export const emulatorPerFile = (options: EmulatorOptions = {}): (() => Emulator) => {
  let emulator: Emulator | undefined
  beforeAll(async () => {
    emulator = await startEmulator(options)
  })
  afterEach(() => {
    if (emulator !== undefined) resetEmulator(emulator)
  })
  afterAll(() => emulator?.close())
  return () => {
    if (emulator === undefined) throw new Error('the emulator is not running (use it inside a test)')
    return emulator
  }
}

/** An emulator of its own for one test, closed when that test finishes. */
export const emulatorForTest = async (test: TestScope, options: EmulatorOptions = {}): Promise<Emulator> =>
  resourcesOf(test).closing(await startEmulator(options))
