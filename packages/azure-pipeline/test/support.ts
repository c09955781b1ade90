/** The emulator for one test file, and what the adapter's tests build on it. */
import { readFile } from 'node:fs/promises'
import { fileFailure, type HttpRequest } from '@azmi/core'
import { type Emulator, startEmulator } from '@azmi/emulator'
import { left, right } from 'fp-ts/lib/Either.js'
import { afterAll, beforeAll, beforeEach } from 'vitest'

/** Start one emulator for the file, clear its log and faults before each test, close it after. */
export const emulatorPerFile = (): (() => Emulator) => {
  let emulator: Emulator | undefined
  beforeAll(async () => {
    emulator = await startEmulator()
  })
  beforeEach(() => {
    emulator?.clearRequests()
  })
  afterAll(() => emulator?.close())
  return () => {
    if (emulator === undefined) throw new Error('the emulator did not start')
    return emulator
  }
}

/** A plain read of a test file (the emulator's federated token), as a shell's `readFile` would. */
export const testReadFile = async (path: string) => {
  try {
    return right(await readFile(path, 'utf8'))
  } catch {
    return left(fileFailure('not-found', `${path} could not be read`))
  }
}

/** An App Service token request to the emulator, by hand. */
export const appServiceRequest = (emulator: Emulator, timeoutMs = 5_000): HttpRequest => {
  const env = emulator.env('AppService')
  return {
    method: 'GET',
    url: `${env.IDENTITY_ENDPOINT}?api-version=2019-08-01&resource=https://vault.azure.net`,
    headers: { 'X-IDENTITY-HEADER': env.IDENTITY_HEADER ?? '' },
    timeoutMs,
  }
}

export const SCOPE = 'https://vault.azure.net/.default'
