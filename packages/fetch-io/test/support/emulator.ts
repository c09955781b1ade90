/**
 * The emulator of every hosting environment (`@azmi/emulator`) for one test file, and the
 * small readers the credential tests share: what a token says, what a request carried.
 */
import type { Emulator, EnvironmentName, RecordedRequest } from '@azmi/emulator'
import { decodeJwtPayload, startEmulator } from '@azmi/emulator'
import { Agent } from 'undici'
import { afterAll, afterEach, beforeAll } from 'vitest'

/** Every environment the emulator serves. */
export const ENVIRONMENTS: ReadonlyArray<EnvironmentName> = [
  'ServiceFabric',
  'AppService',
  'AzureArc',
  'AzureML',
  'CloudShell',
  'WorkloadIdentity',
  'Imds',
]

/** The scope the tests ask for, and the resource the managed-identity endpoints receive for it. */
export const SCOPE = 'https://storage.azure.com/.default'
export const RESOURCE = 'https://storage.azure.com'

/**
 * The emulator writes Arc key files into `/var/opt/azcmagent/tokens`, the only directory
 * azmi accepts on Linux, only when it runs as root; elsewhere the Arc flow cannot succeed.
 */
export const canServeArcKeys = process.platform === 'linux' && process.getuid?.() === 0

/**
 * One emulator for the whole file, started before its tests and closed after them. After
 * each test the recorded requests are forgotten and every fault queue is emptied, so no
 * scripted fault leaks into the next test. Call at the top level of the file.
 */
export const emulatorPerFile = (): (() => Emulator) => {
  let emulator: Emulator | undefined
  beforeAll(async () => {
    emulator = await startEmulator()
  })
  afterEach(() => {
    for (const environment of ENVIRONMENTS) emulator?.script(environment, [])
    emulator?.clearRequests()
  })
  afterAll(() => emulator?.close())
  return () => {
    if (emulator === undefined) throw new Error('the emulator is not running (use it inside a test)')
    return emulator
  }
}

/**
 * Node's own fetch, trusting the emulator's test CA for the emulated Entra ID endpoint.
 *
 * Node's global fetch is undici, bundled inside Node but not importable; it accepts undici's
 * non-standard `dispatcher` option. The dispatcher comes from the `undici` package at the
 * version Node 20.20 bundles, so the two agree on the dispatcher interface.
 */
export const fetchTrusting = (
  caPem: string,
): { readonly fetch: typeof fetch; readonly close: () => Promise<void> } => {
  const dispatcher = new Agent({ connect: { ca: caPem } })
  return {
    fetch: (input, init) => fetch(input, { ...init, dispatcher } as RequestInit),
    close: () => dispatcher.close(),
  }
}

/** The claims of an emulator-issued token that say which identity it is for, and for what. */
export const claimsOf = (token: string) => {
  const claims = decodeJwtPayload(token) ?? {}
  return { aud: claims.aud, oid: claims.oid, appid: claims.appid }
}

/** Requests the emulator received at the token endpoints, not counting its 404s. */
export const tokenRequests = (emulator: Emulator): ReadonlyArray<RecordedRequest> =>
  emulator.requests.filter((request) => request.environment !== 'unknown')

/** The form fields of a request body. */
export const formOf = (request: RecordedRequest): Readonly<Record<string, string>> =>
  Object.fromEntries(new URLSearchParams(request.body))
