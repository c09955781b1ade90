/**
 * The demo: start the emulator, get a token through `@azmi/node-io` from each of the seven
 * hosting environments (system-assigned, plus a user-assigned identity where the source
 * supports one), and print what was sent and what came back. Exits non-zero if any row fails.
 */
import type { IdentityOptions, LogEvent } from '@azmi/core'
import { type Emulator, type EnvironmentName, startEmulator } from '@azmi/emulator'
import { ManagedIdentityCredential } from '@azmi/node-io'
import { describeRemaining, renderTable } from './table.js'

interface DemoCase {
  readonly environment: EnvironmentName
  readonly identity: 'system' | 'clientId' | 'objectId' | 'resourceId'
}

const CASES: ReadonlyArray<DemoCase> = [
  { environment: 'ServiceFabric', identity: 'system' },
  { environment: 'AppService', identity: 'system' },
  { environment: 'AppService', identity: 'clientId' },
  { environment: 'AzureArc', identity: 'system' },
  { environment: 'AzureML', identity: 'system' },
  { environment: 'AzureML', identity: 'objectId' },
  { environment: 'CloudShell', identity: 'system' },
  { environment: 'WorkloadIdentity', identity: 'clientId' },
  { environment: 'Imds', identity: 'system' },
  { environment: 'Imds', identity: 'resourceId' },
]

const SCOPE = 'https://storage.azure.com/.default'

const identityOptions = (emulator: Emulator, kind: DemoCase['identity']): IdentityOptions => {
  const { user } = emulator.identities
  if (kind === 'clientId') return { clientId: user.clientId }
  if (kind === 'objectId') return { objectId: user.objectId }
  if (kind === 'resourceId') return { resourceId: user.resourceId }
  return {}
}

/** `GET /path?query (headers: A, B)` relative to the emulator; header values are never logged. */
const requestLine = (events: ReadonlyArray<LogEvent>): string =>
  events
    .filter((event) => event.event === 'request-sent')
    .map((event) => {
      const url = new URL(String(event.url))
      const target = decodeURIComponent(`${url.pathname}${url.search}`)
      return `${event.method} ${target} (headers: ${event.headers})`
    })
    .join(' then ')

const runCase = async (emulator: Emulator, demoCase: DemoCase): Promise<ReadonlyArray<string>> => {
  const events: Array<LogEvent> = []
  const credential = new ManagedIdentityCredential({
    env: emulator.env(demoCase.environment),
    ...identityOptions(emulator, demoCase.identity),
    ca: emulator.caCertificatePem,
    logger: (event) => events.push(event),
  })
  const started = performance.now()
  try {
    const token = await credential.getToken(SCOPE)
    const latency = `${(performance.now() - started).toFixed(1)} ms`
    const now = Date.now()
    return [
      demoCase.environment,
      demoCase.identity,
      describeRemaining(token.expiresOnTimestamp, now),
      describeRemaining(token.refreshAfterTimestamp, now),
      latency,
      requestLine(events),
    ]
  } catch (error) {
    const code = (error as { code?: string }).code ?? 'error'
    return [
      demoCase.environment,
      demoCase.identity,
      'FAILED',
      '-',
      '-',
      `${code}: ${(error as Error).message}`,
    ]
  }
}

/** Run the demo, writing the table; resolves to the exit code. */
export const runDemo = async (write: (text: string) => void): Promise<number> => {
  const emulator = await startEmulator()
  try {
    write(`azmi demo: emulator at ${emulator.url} (http) and ${emulator.tlsUrl} (https); scope ${SCOPE}\n\n`)
    const rows: Array<ReadonlyArray<string>> = []
    for (const demoCase of CASES) rows.push(await runCase(emulator, demoCase))
    write(
      `${renderTable(['source', 'identity', 'expires in', 'refresh in', 'latency', 'request sent (header values never shown)'], rows)}\n`,
    )
    const failures = rows.filter((row) => row[2] === 'FAILED')
    write(
      `\n${rows.length - failures.length} of ${rows.length} tokens obtained from ${new Set(rows.map((row) => row[0])).size} environments.\n`,
    )
    return failures.length === 0 ? 0 : 1
  } finally {
    await emulator.close()
  }
}

const isEntryPoint =
  process.argv[1]?.endsWith('demo.ts') === true || process.argv[1]?.endsWith('demo.js') === true
if (isEntryPoint) process.exitCode = await runDemo((text) => process.stdout.write(text))
