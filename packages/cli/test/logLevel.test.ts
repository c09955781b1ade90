/**
 * `AZURE_LOG_LEVEL` through the real `azmi` command (docs/protocol.md §6.1): the command is run
 * in a process of its own, as a user runs it, with the emulator's App Service variables as its
 * whole environment. With a level set and no logger given, node-io writes redacted lines to
 * stderr in `@azure/logger`'s format (`azure:azmi:<level> ManagedIdentityCredential => …`), at
 * that level and the less verbose ones; stdout keeps the command's own output. Neither stream's
 * log lines may hold `IDENTITY_HEADER`'s value or the access token.
 */
import { decodeJwtPayload } from '@azmi/emulator'
import { emulatorPerFile, RESOURCE, runTypeScript, SCOPE } from '@azmi/test-support'
import { describe, expect, test } from 'vitest'

const emulator = emulatorPerFile()

const JWT = /eyJ[\w-]+\.[\w-]+\.[\w-]+/
const LINE = /^azure:azmi:(error|warning|info|verbose) ManagedIdentityCredential => ([a-z-]+)( |$)/

/** `azmi token --scope SCOPE --show-token` with App Service's variables plus `extra`. */
const azmiToken = (extra: Readonly<Record<string, string>>) =>
  runTypeScript('packages/cli/src/main.ts', ['token', '--scope', SCOPE, '--show-token'], {
    // the child's whole environment: nothing of this process's leaks into its selection
    env: { PATH: process.env.PATH ?? '', ...emulator().env('AppService'), ...extra },
  })

const linesOf = (text: string) => text.split('\n').filter((line) => line !== '')

/** Each stderr line as `[level, event]`; a line in another format fails the test. */
const logLines = (stderr: string) =>
  linesOf(stderr).map((line) => {
    const match = LINE.exec(line)
    expect(match, `not an @azure/logger line: ${line}`).not.toBeNull()
    return [match?.[1], match?.[2]] as const
  })

describe('azmi token with AZURE_LOG_LEVEL', () => {
  test('info: @azure/logger lines on stderr, the token on stdout, no secret in the log', async () => {
    const { exit, code, stdout, stderr } = await azmiToken({ AZURE_LOG_LEVEL: 'info' })
    expect({ exit, code }).toEqual({ exit: 'exited', code: 0 })

    expect(stdout).toMatch(/^source: +AppService$/m)
    const [token] = stdout.match(JWT) ?? []
    expect(decodeJwtPayload(token ?? '')).toMatchObject({ aud: RESOURCE })

    const lines = logLines(stderr)
    expect(lines).toEqual([
      ['info', 'source-selected'],
      ['info', 'token-cached'],
    ])
    const secret = emulator().env('AppService').IDENTITY_HEADER ?? ''
    expect(secret.length).toBeGreaterThan(3)
    expect(stderr).not.toContain(secret)
    expect(stderr).not.toContain(token)
    expect(stderr).not.toMatch(JWT)
  })

  test('verbose adds each request and reply, with header names only', async () => {
    const { code, stderr } = await azmiToken({ AZURE_LOG_LEVEL: 'verbose' })
    expect(code).toBe(0)
    const events = logLines(stderr).map(([, event]) => event)
    expect(events).toEqual(['source-selected', 'request-sent', 'reply-received', 'token-cached'])
    const sent = linesOf(stderr).find((line) => line.includes('=> request-sent')) ?? ''
    expect(sent).toMatch(/headers="?[^"]*X-IDENTITY-HEADER/i)
    expect(stderr).not.toContain(emulator().env('AppService').IDENTITY_HEADER)
    expect(stderr).not.toMatch(JWT)
  })

  test('error: nothing to say for a token that worked', async () => {
    const { code, stdout, stderr } = await azmiToken({ AZURE_LOG_LEVEL: 'error' })
    expect(code).toBe(0)
    expect(stdout).toMatch(JWT)
    expect(stderr).toBe('')
  })

  test('control: without AZURE_LOG_LEVEL stderr stays empty', async () => {
    const { code, stderr } = await azmiToken({})
    expect(code).toBe(0)
    expect(stderr).toBe('')
  })
})
