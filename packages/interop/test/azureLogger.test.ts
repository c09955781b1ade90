/**
 * azmi's logging through the real `@azure/logger` 1.3.0 (docs/protocol.md §6.1), both shells,
 * against the emulator:
 *
 * - the bridge the README shows, `logger: forAzureLogger(createClientLogger('azmi'))`: lines
 *   land in `AzureLogger.log` under `azure:azmi:<level>`, and `setLogLevel()` filters them as it
 *   filters the Azure SDK's own;
 * - with no `logger`, `AZURE_LOG_LEVEL` in the credential's environment snapshot writes the same
 *   lines to stderr. Both shells write to the process's own stderr (no sink can be injected),
 *   so those tests run the credential in a child process and read what it wrote there.
 *
 * No line ever holds the identity header or the token.
 */
import { fileURLToPath } from 'node:url'
import { format } from 'node:util'
import {
  ManagedIdentityCredential as FetchCredential,
  forAzureLogger as fetchForAzureLogger,
} from '@azmi/fetch-io'
import {
  ManagedIdentityCredential as NodeCredential,
  forAzureLogger as nodeForAzureLogger,
} from '@azmi/node-io'
import { emulatorPerFile, runProcess } from '@azmi/test-support'
import { AzureLogger, createClientLogger, getLogLevel, setLogLevel } from '@azure/logger'
import { afterEach, beforeEach, describe, expect, test } from 'vitest'

const SCOPE = 'https://storage.azure.com/.default'
const OTHER_SCOPE = 'https://vault.azure.net/.default'
const INTEROP_ROOT = fileURLToPath(new URL('..', import.meta.url))

const emulator = emulatorPerFile()

type Shell = 'node-io' | 'fetch-io'
const SHELLS: ReadonlyArray<Shell> = ['node-io', 'fetch-io']

/** A line as `@azure/logger` writes it: `azure:azmi:<level> ManagedIdentityCredential => <event> …`. */
const LINE = /^azure:azmi:(error|warning|info|verbose) ManagedIdentityCredential => ([a-z-]+)( |$)/

/** `[level, event]` of each line, or the line itself when it is not in azmi's format. */
const levelsAndEvents = (lines: ReadonlyArray<string>) =>
  lines.map((line) => {
    const match = LINE.exec(line)
    return match === null ? line : `${match[1]} ${match[2]}`
  })

// -------------------------------------------------------------------------------------
// the bridge
// -------------------------------------------------------------------------------------

describe.each(SHELLS)('%s: logger: forAzureLogger(createClientLogger("azmi"))', (shell) => {
  const lines: string[] = []
  const originalLog = AzureLogger.log
  const originalLevel = getLogLevel()
  beforeEach(() => {
    lines.length = 0
    AzureLogger.log = (...args: unknown[]) => {
      lines.push(format(...args))
    }
  })
  afterEach(() => {
    AzureLogger.log = originalLog
    setLogLevel(originalLevel)
  })

  /** The README's one line, with each shell's own export of the bridge. */
  const bridged = (env: Record<string, string>) =>
    shell === 'node-io'
      ? new NodeCredential({ env, logger: nodeForAzureLogger(createClientLogger('azmi')) })
      : new FetchCredential({ env, logger: fetchForAzureLogger(createClientLogger('azmi')) })

  test('verbose: every event of a token request, in order, under azure:azmi, with no secret', async () => {
    setLogLevel('verbose')
    const env = emulator().env('AppService')

    const { token } = await bridged(env).getToken(SCOPE)

    expect(levelsAndEvents(lines)).toEqual([
      'info source-selected',
      'verbose request-sent',
      'verbose reply-received',
      'info token-cached',
    ])
    expect(lines[1]).toContain('headers="X-IDENTITY-HEADER, Metadata, x-ms-client-request-id"')
    expect(lines[1]).toContain(`requestId=${emulator().requests[0]?.headers['x-ms-client-request-id']}`)
    for (const secret of [env.IDENTITY_HEADER ?? '', token]) {
      expect(lines.filter((line) => line.includes(secret))).toEqual([])
    }
  })

  test('info: the request and reply lines (verbose) are filtered out; a failure is an error line', async () => {
    setLogLevel('info')
    const credential = bridged(emulator().env('AppService'))
    await credential.getToken(SCOPE)
    emulator().script('AppService', [{ status: 401 }])

    await expect(credential.getToken(OTHER_SCOPE)).rejects.toMatchObject({ code: 'http_error' })

    expect(levelsAndEvents(lines)).toEqual(['info source-selected', 'info token-cached', 'error failed'])
    expect(lines[2]).toContain('code=http_error')
  })

  test('error: only the failure, though the endpoint echoed the identity header in its body', async () => {
    setLogLevel('error')
    const env = emulator().env('AppService')
    const header = env.IDENTITY_HEADER ?? ''
    emulator().script('AppService', [
      { status: 401, body: JSON.stringify({ error: 'denied', error_description: `header ${header}` }) },
    ])

    await expect(bridged(env).getToken(SCOPE)).rejects.toMatchObject({ code: 'http_error' })

    expect(levelsAndEvents(lines)).toEqual(['error failed'])
    expect(lines.filter((line) => line.includes(header))).toEqual([])
  })

  test('no level set: @azure/logger writes nothing, and the credential still gets its token', async () => {
    setLogLevel(undefined)

    await expect(bridged(emulator().env('AppService')).getToken(SCOPE)).resolves.toMatchObject({
      tokenType: 'Bearer',
    })

    expect(lines).toEqual([])
  })
})

// -------------------------------------------------------------------------------------
// AZURE_LOG_LEVEL in the environment snapshot, no logger: stderr
// -------------------------------------------------------------------------------------

/**
 * Gets one token with the shell's credential over `{ ...process.env }` and prints it to stdout
 * (an emulator's token, so that the test can look for it in stderr). argv[1]: the package.
 */
const CHILD = `
const { ManagedIdentityCredential } = await import(process.argv[1])
const credential = new ManagedIdentityCredential({ env: { ...process.env } })
const { token } = await credential.getToken(${JSON.stringify(SCOPE)})
process.stdout.write(token)
`

/** Run {@link CHILD} with `shell`'s package and exactly `env` as its environment. */
const runChild = async (shell: Shell, env: Record<string, string>) => {
  const child = await runProcess(
    process.execPath,
    ['--conditions=azmi-source', '--import', 'tsx', '--input-type=module', '-e', CHILD, `@azmi/${shell}`],
    { cwd: INTEROP_ROOT, env },
  )
  expect(child).toMatchObject({ exit: 'exited', code: 0 })
  return { token: child.stdout, lines: child.stderr.split('\n').filter((line) => line !== '') }
}

describe.each(SHELLS)('%s: AZURE_LOG_LEVEL in env, no logger option', (shell) => {
  test('info: @azure/logger-format lines on stderr, without the verbose ones or any secret', async () => {
    const appService = emulator().env('AppService')

    const { token, lines } = await runChild(shell, { ...appService, AZURE_LOG_LEVEL: 'info' })

    expect(levelsAndEvents(lines)).toEqual(['info source-selected', 'info token-cached'])
    expect(lines[1]).toContain(`scope=${SCOPE}`)
    expect(token.length).toBeGreaterThan(0)
    for (const secret of [appService.IDENTITY_HEADER ?? '', token]) {
      expect(lines.filter((line) => line.includes(secret))).toEqual([])
    }
  })

  test('VERBOSE (any case): the request and reply lines too', async () => {
    const env = { ...emulator().env('AppService'), AZURE_LOG_LEVEL: 'VERBOSE' }

    const { lines } = await runChild(shell, env)

    expect(levelsAndEvents(lines)).toEqual([
      'info source-selected',
      'verbose request-sent',
      'verbose reply-received',
      'info token-cached',
    ])
  })

  test('a value that names no level, or none at all: nothing on stderr', async () => {
    for (const level of ['loud', undefined]) {
      const env = { ...emulator().env('AppService'), ...(level !== undefined && { AZURE_LOG_LEVEL: level }) }
      expect((await runChild(shell, env)).lines).toEqual([])
    }
  })
})
