/**
 * The demo: start the emulator, get a token through `@azmi/node-io` from each of the seven
 * hosting environments (system-assigned, plus a user-assigned identity where the source
 * supports one, plus the rows of `demoCases.ts`), and print what was sent and what came back.
 * Exits non-zero if any row fails.
 */
import type { LogEvent } from '@azmi/core'
import { type Emulator, startEmulator } from '@azmi/emulator'
import { ManagedIdentityCredential } from '@azmi/node-io'
import { CASES, credentialOptions, type DemoCase } from './demoCases.js'
import { describeRemaining, renderTable } from './table.js'

const SCOPE = 'https://storage.azure.com/.default'
/** The Arc agent's port, where the "agent file" row finds it. */
const ARC_AGENT_PORT = 40342

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

const labels = (row: DemoCase) => [row.source, row.identity, row.how ?? '']

/** One row: a token (and for the claims row, a second one asked for with claims), or why not. */
const runCase = async (emulator: Emulator, row: DemoCase): Promise<ReadonlyArray<string>> => {
  const events: Array<LogEvent> = []
  const credential = new ManagedIdentityCredential({
    ...credentialOptions(emulator, row),
    logger: (event) => events.push(event),
  })
  try {
    if (row.how === 'claims: revoke cached') {
      await credential.getToken(SCOPE)
      events.length = 0
    }
    const started = performance.now()
    const token = await credential.getToken(
      SCOPE,
      row.how === 'claims: revoke cached' ? { claims: '{"access_token":{"nbf":{"essential":true}}}' } : {},
    )
    const latency = `${(performance.now() - started).toFixed(1)} ms`
    const now = Date.now()
    const remaining = [
      describeRemaining(token.expiresOnTimestamp, now),
      describeRemaining(token.refreshAfterTimestamp, now),
    ]
    return [...labels(row), ...remaining, latency, requestLine(events)]
  } catch (error) {
    const code = (error as { code?: string }).code ?? 'error'
    return [...labels(row), 'FAILED', '-', '-', `${code}: ${(error as Error).message}`]
  }
}

/** The emulator with the Arc agent on its port, or without it when the port is taken (the row says so). */
const startDemoEmulator = async (): Promise<{ readonly emulator: Emulator; readonly agent: boolean }> => {
  try {
    return { emulator: await startEmulator({ arcAgentPort: ARC_AGENT_PORT }), agent: true }
  } catch (error) {
    if ((error as { code?: string }).code !== 'EADDRINUSE') throw error
    return { emulator: await startEmulator(), agent: false }
  }
}

const skipped = (row: DemoCase): ReadonlyArray<string> => [
  ...labels(row),
  'skipped',
  '-',
  '-',
  `port ${ARC_AGENT_PORT} is in use`,
]

/** Run the demo, writing the table; resolves to the exit code. */
export const runDemo = async (write: (text: string) => void): Promise<number> => {
  const { emulator, agent } = await startDemoEmulator()
  try {
    write(`azmi demo: emulator at ${emulator.url} (http) and ${emulator.tlsUrl} (https); scope ${SCOPE}\n\n`)
    const rows: Array<ReadonlyArray<string>> = []
    for (const row of CASES)
      rows.push(row.how === 'agent file' && !agent ? skipped(row) : await runCase(emulator, row))
    const header = [
      'source',
      'identity',
      'how',
      'expires in',
      'refresh in',
      'latency',
      'request sent (header values never shown)',
    ]
    write(`${renderTable(header, rows)}\n`)
    const failures = rows.filter((row) => row[3] === 'FAILED')
    const obtained = rows.filter((row) => row[3] !== 'FAILED' && row[3] !== 'skipped')
    write(
      `\n${obtained.length} of ${rows.length} tokens obtained from ${new Set(rows.map((row) => row[0])).size} environments.\n`,
    )
    return failures.length === 0 ? 0 : 1
  } finally {
    await emulator.close()
  }
}

const isEntryPoint =
  process.argv[1]?.endsWith('/cli/src/demo.ts') === true ||
  process.argv[1]?.endsWith('/cli/dist/demo.js') === true
if (isEntryPoint) process.exitCode = await runDemo((text) => process.stdout.write(text))
