/**
 * Emulators and local servers for one test each, and the environments that point a
 * credential at them (or, on purpose, at nothing).
 */
import { createServer, type IncomingMessage } from 'node:http'
import type { AddressInfo } from 'node:net'
import { type Emulator, type EmulatorOptions, type EnvironmentName, startEmulator } from '@azmi/emulator'
import type { TestContext } from 'vitest'
import type { Shell } from './shells.js'

/** Every hosting environment, in the precedence order of protocol.md §1.2. */
export const allSources: ReadonlyArray<EnvironmentName> = [
  'ServiceFabric',
  'AppService',
  'AzureArc',
  'AzureML',
  'CloudShell',
  'WorkloadIdentity',
  'Imds',
]

/** Arc key files land in the agent's real directory only for root on Linux. */
export const isLinuxRoot = process.platform === 'linux' && process.getuid?.() === 0

/**
 * The sources a shell can get a token from here. fetch-io cannot pin Service Fabric's
 * certificate, so it refuses that source outright (a case of its own). Azure Arc needs its key
 * file in `/var/opt/azcmagent/tokens`, which the emulator can write only as root on Linux;
 * elsewhere the Arc flow cannot succeed, so its fault cases are left out.
 */
export const sourcesOf = (shell: Shell): ReadonlyArray<EnvironmentName> =>
  allSources.filter(
    (source) => (shell === 'node-io' || source !== 'ServiceFabric') && (isLinuxRoot || source !== 'AzureArc'),
  )

/** Every (shell, source) pair a fault can be tried on. */
export const shellSourcePairs = (shells: ReadonlyArray<Shell>) =>
  shells.flatMap((shell) => sourcesOf(shell).map((source) => ({ shell, source })))

export const SCOPE = 'https://vault.azure.net/.default'

// -------------------------------------------------------------------------------------
// lifecycles
// -------------------------------------------------------------------------------------

/** The part of a test's context that ties a resource to that test, even when tests run concurrently. */
export type TestScope = Pick<TestContext, 'onTestFinished'>

/** An emulator closed when the test that started it finishes. */
export const emulatorForTest = async (test: TestScope, options: EmulatorOptions = {}): Promise<Emulator> => {
  const emulator = await startEmulator(options)
  test.onTestFinished(() => emulator.close())
  return emulator
}

/** Requests to one environment's paths (the challenge and keyed request count for Arc). */
export const requestsTo = (emulator: Emulator, source: EnvironmentName) =>
  emulator.requests.filter((request) => request.environment === source)

// -------------------------------------------------------------------------------------
// environments
// -------------------------------------------------------------------------------------

/** The variables of `source`, plus the CA workload identity's https endpoint needs. */
export const credentialTarget = (emulator: Emulator, source: EnvironmentName) => ({
  env: emulator.env(source),
  ...(source === 'WorkloadIdentity' ? { ca: emulator.caCertificatePem } : {}),
})

/** `env` with every loopback URL moved to `port`, where nothing listens. */
export const withPort = (env: Record<string, string>, port: number): Record<string, string> =>
  Object.fromEntries(
    Object.entries(env).map(([name, value]) => {
      if (!/^https?:\/\/127\.0\.0\.1:\d+/.test(value)) return [name, value]
      const url = new URL(value)
      url.port = String(port)
      return [name, url.toString().replace(/\/$/, value.endsWith('/') ? '/' : '')]
    }),
  )

/** A port that was free a moment ago and has nothing listening on it now. */
export const closedPort = async (host = '127.0.0.1'): Promise<number> => {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, host, resolve))
  const { port } = server.address() as AddressInfo
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return port
}

// -------------------------------------------------------------------------------------
// a second host
// -------------------------------------------------------------------------------------

export interface SeenRequest {
  readonly method: string
  readonly url: string
  readonly headers: IncomingMessage['headers']
}

export interface WatchingServer {
  readonly url: string
  readonly requests: ReadonlyArray<SeenRequest>
}

/** A server on 127.0.0.1 that answers 200 `{}` and remembers every request; closed after the test. */
export const watchingServer = async (test: TestScope): Promise<WatchingServer> => {
  const requests: SeenRequest[] = []
  const server = createServer((request, response) => {
    requests.push({ method: request.method ?? '', url: request.url ?? '', headers: request.headers })
    response.writeHead(200, { 'content-type': 'application/json' }).end('{}')
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  test.onTestFinished(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  )
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests }
}
