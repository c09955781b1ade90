/**
 * The `azmi` command in-process, with the environment passed in rather than read from
 * `process.env`: `explain` and `token` against the emulator, and the exit codes a script
 * can rely on (0 token, 1 authentication failed, 2 usage, 3 unavailable or misconfigured).
 */

import { SOURCE_NAMES } from '@azmi/core'
import { decodeJwtPayload } from '@azmi/emulator'
import { emulatorPerFile, RESOURCE, SCOPE } from '@azmi/test-support'
import { describe, expect, test } from 'vitest'
import { runCli } from '../src/cli.js'

const JWT = /eyJ[\w-]+\.[\w-]+\.[\w-]+/

const emulator = emulatorPerFile()

/** Run `azmi ...argv` with `env`; resolves with the exit code and everything written. */
const azmi = async (argv: ReadonlyArray<string>, env: Readonly<Record<string, string>>) => {
  const written: string[] = []
  const exitCode = await runCli(argv, (text) => written.push(text), env)
  return { exitCode, output: written.join('') }
}

describe('azmi explain', () => {
  test('names the source the environment selects, and why each source was or was not chosen', async () => {
    const env = emulator().env('AppService')
    const { exitCode, output } = await azmi(['explain'], env)
    expect(exitCode).toBe(0)
    expect(output).toContain('Selected: AppService')
    for (const source of SOURCE_NAMES) expect(output).toContain(source)
    expect(output).not.toContain(env.IDENTITY_HEADER)
  })

  test('an empty environment falls back to IMDS', async () => {
    const { exitCode, output } = await azmi(['explain'], {})
    expect(exitCode).toBe(0)
    expect(output).toContain('Selected: Imds')
  })

  test('IDENTITY_ENDPOINT alone selects nothing (exit 3, no_source)', async () => {
    const { exitCode, output } = await azmi(['explain'], {
      IDENTITY_ENDPOINT: `${emulator().url}/appservice/msi/token`,
    })
    expect(exitCode).toBe(3)
    expect(output).toContain('No usable source (no_source)')
  })
})

describe('azmi token', () => {
  test('gets a token from App Service and keeps it hidden', async () => {
    const { exitCode, output } = await azmi(['token', '--scope', SCOPE], emulator().env('AppService'))
    expect(exitCode).toBe(0)
    expect(output).toMatch(/^source: +AppService$/m)
    expect(output).toMatch(/^token type: +Bearer$/m)
    expect(output).toContain('hidden; --show-token shows it')
    expect(output).not.toMatch(JWT)
  })

  test('--show-token prints it', async () => {
    const { exitCode, output } = await azmi(
      ['token', '--scope', SCOPE, '--show-token'],
      emulator().env('AppService'),
    )
    expect(exitCode).toBe(0)
    const [token] = output.match(JWT) ?? []
    expect(decodeJwtPayload(token ?? '')).toMatchObject({ aud: RESOURCE })
  })

  test('--json prints JSON without the token', async () => {
    const { exitCode, output } = await azmi(
      ['token', '--scope', SCOPE, '--json'],
      emulator().env('AppService'),
    )
    expect(exitCode).toBe(0)
    const printed = JSON.parse(output) as Record<string, unknown>
    expect(printed).toMatchObject({
      source: 'AppService',
      tokenType: 'Bearer',
      expiresOnTimestamp: expect.any(Number),
    })
    expect(printed).not.toHaveProperty('token')
    expect(output).not.toMatch(JWT)
  })

  test('--json --show-token --client-id: the token of that user-assigned identity', async () => {
    const { user } = emulator().identities
    const { exitCode, output } = await azmi(
      ['token', '--scope', SCOPE, '--json', '--show-token', '--client-id', user.clientId],
      emulator().env('AppService'),
    )
    expect(exitCode).toBe(0)
    const { token } = JSON.parse(output) as { token: string }
    expect(decodeJwtPayload(token)).toMatchObject({ aud: RESOURCE, appid: user.clientId })
  })

  test('without --scope it is a usage error (exit 2)', async () => {
    const { exitCode, output } = await azmi(['token'], emulator().env('AppService'))
    expect(exitCode).toBe(2)
    expect(output).toContain('--scope is required')
    expect(output).toContain('usage:')
  })

  test('a --timeout that is not a whole number of milliseconds is a usage error (exit 2)', async () => {
    const { exitCode } = await azmi(
      ['token', '--scope', SCOPE, '--timeout', 'soon'],
      emulator().env('AppService'),
    )
    expect(exitCode).toBe(2)
  })

  test('nothing listening where IMDS should be: unavailable (exit 3) and the code printed', async () => {
    // A closed port: the connection is refused at once, and the 500 ms deadline leaves no
    // room for IMDS's first 0.8 s backoff, so the command ends after one attempt.
    const env = { AZURE_POD_IDENTITY_AUTHORITY_HOST: 'http://127.0.0.1:1' }
    const { exitCode, output } = await azmi(['token', '--scope', SCOPE, '--timeout', '500'], env)
    expect(exitCode).toBe(3)
    expect(output).toContain('error (imds_unavailable)')
  })

  test('the same failure as JSON', async () => {
    const env = { AZURE_POD_IDENTITY_AUTHORITY_HOST: 'http://127.0.0.1:1' }
    const { exitCode, output } = await azmi(['token', '--scope', SCOPE, '--timeout', '500', '--json'], env)
    expect(exitCode).toBe(3)
    expect(JSON.parse(output)).toMatchObject({
      error: { name: 'CredentialUnavailableError', code: 'imds_unavailable' },
    })
  })

  test('an endpoint that refuses is an authentication failure (exit 1)', async () => {
    emulator().script('AppService', [{ status: 401 }])
    const { exitCode, output } = await azmi(['token', '--scope', SCOPE], emulator().env('AppService'))
    expect(exitCode).toBe(1)
    expect(output).toContain('error (http_error)')
  })
})

describe('other commands', () => {
  test('no command prints the usage (exit 0); an unknown one is a usage error (exit 2)', async () => {
    await expect(azmi([], {})).resolves.toMatchObject({
      exitCode: 0,
      output: expect.stringContaining('usage:'),
    })
    await expect(azmi(['tokens'], {})).resolves.toMatchObject({
      exitCode: 2,
      output: expect.stringContaining('unknown command "tokens"'),
    })
  })
})
