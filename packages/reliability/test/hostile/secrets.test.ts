/**
 * No secret ever leaves through an error or a log line, over real sockets, through both shells.
 *
 * Random identity headers (`IDENTITY_HEADER`, `MSI_SECRET`), Arc keys and federated tokens are
 * sent to the emulator, which is scripted to fail in every way it can, echoing them back in
 * bodies, headers and redirects together with a random access token, as a hostile or broken
 * endpoint would. Every thrown error (message, stack, JSON) and every logger event is then
 * scanned: none may contain any of them, and none may have travelled in a URL.
 * (The pure-core version of this property is `packages/core/test/secrets.test.ts`.)
 */
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { LINUX_KEY_DIRECTORY } from '@azmi/core'
import type { Emulator, EnvironmentName, Fault } from '@azmi/emulator'
import { emulatorForTest, virtualClock, watchUnhandledRejections } from '@azmi/test-support'
import fc from 'fast-check'
import { afterAll, describe, expect, test } from 'vitest'
import { credentialTarget, SCOPE, sourcesOf } from '../support/environments.js'
import { settle } from '../support/settle.js'
import { baseCredentialFor, type Shell, shells } from '../support/shells.js'
import { reportGroup } from '../support/verdict.js'

watchUnhandledRejections()
const { group, record } = reportGroup('hostile-secrets', 'Hostile input: secrets')
const RUNS = 40

const scratch = mkdtempSync(join(tmpdir(), 'azmi-reliability-secrets-'))
afterAll(() => rmSync(scratch, { recursive: true, force: true }))

// -------------------------------------------------------------------------------------
// arbitraries
// -------------------------------------------------------------------------------------

/** Realistic secrets: long enough that finding one by chance in fixed text is impossible. */
const secret = fc.stringMatching(/^[A-Za-z0-9_-]{16,40}$/)
const segment = fc.stringMatching(/^[A-Za-z0-9_-]{8,24}$/)
/** Access tokens as plain strings or JWT-shaped, as real endpoints issue them. */
const accessToken = fc.oneof(
  secret,
  fc.tuple(segment, segment, segment).map(([a, b, c]) => `eyJ${a}.${b}.${c}`),
)

type FailurePath =
  | 'json error echoing everything'
  | 'text error echoing everything'
  | 'expired token echoing everything'
  | 'token without expiry'
  | 'not JSON echoing everything'
  | 'redirect echoing the header'
  | '429 then a 500 echoing everything'
  | 'headers never sent'
  | 'reset before headers'
  | 'reset mid-body'
  | '5 MiB body'

const failurePaths: ReadonlyArray<FailurePath> = [
  'json error echoing everything',
  'text error echoing everything',
  'expired token echoing everything',
  'token without expiry',
  'not JSON echoing everything',
  'redirect echoing the header',
  '429 then a 500 echoing everything',
  'headers never sent',
  'reset before headers',
  'reset mid-body',
  '5 MiB body',
]

interface Secrets {
  readonly header: string
  readonly file: string
  readonly accessToken: string
}

/** Two attempts' worth of the failure (the credential retries once). */
const faultsFor = (path: FailurePath, status: number, { header, file, accessToken }: Secrets): Fault[] => {
  const everything = `seen ${header} and ${file}`
  const echo = { 'x-echo': header, 'content-type': 'application/json' }
  const json = (code: number, body: object): Fault => ({
    status: code,
    body: JSON.stringify(body),
    headers: echo,
  })
  const twice = (fault: Fault): Fault[] => [fault, fault]
  switch (path) {
    case 'json error echoing everything':
      return twice(
        json(status, {
          error: 'echo',
          error_description: everything,
          message: everything,
          access_token: accessToken,
        }),
      )
    case 'text error echoing everything':
      return twice({
        status,
        body: `${everything} access_token=${accessToken}`,
        headers: { 'content-type': 'text/plain' },
      })
    case 'expired token echoing everything':
      return [json(200, { access_token: accessToken, expires_on: '1000', note: everything })]
    case 'token without expiry':
      return [json(200, { access_token: accessToken, note: everything })]
    case 'not JSON echoing everything':
      return [{ status: 200, body: `<html>${everything}</html>`, headers: { 'content-type': 'text/html' } }]
    case 'redirect echoing the header':
      return [{ redirectTo: `http://127.0.0.1:9/steal?header=${header}&file=${file}` }]
    case '429 then a 500 echoing everything':
      return [
        { status: 429, headers: { 'retry-after': '0' } },
        json(500, { error: everything, access_token: accessToken }),
      ]
    case 'headers never sent':
      return twice({ hang: true })
    case 'reset before headers':
      return twice({ drop: 'before-headers' })
    case 'reset mid-body':
      return twice({ drop: 'mid-body' })
    case '5 MiB body':
      return [{ oversizedBodyBytes: 5 * 1024 * 1024 }]
  }
}

// -------------------------------------------------------------------------------------
// one run
// -------------------------------------------------------------------------------------

interface Prepared {
  readonly env: Record<string, string>
  readonly ca?: string
  /** Faults that come before the failing request (Arc's challenge naming the key file). */
  readonly before: Fault[]
  /** The secrets this credential holds, and so must keep out of errors and logs. */
  readonly known: string[]
  readonly cleanup: () => void
}

let files = 0
const writeSecretFile = (directory: string, name: string, text: string) => {
  files += 1
  const path = join(directory, `azmi-reliability-${process.pid}-${files}-${name}`)
  writeFileSync(path, text, { mode: 0o600 })
  return path
}

const none = () => undefined

/** The credential's `variable` holds the secret `header`, sent as a header. */
const inHeader = (
  target: ReturnType<typeof credentialTarget>,
  variable: string,
  header: string,
): Prepared => ({
  ...target,
  env: { ...target.env, [variable]: header },
  before: [],
  known: [header],
  cleanup: none,
})

const prepare = (emulator: Emulator, source: EnvironmentName, secrets: Secrets): Prepared => {
  const target = credentialTarget(emulator, source)
  switch (source) {
    case 'AppService':
    case 'ServiceFabric':
      return inHeader(target, 'IDENTITY_HEADER', secrets.header)
    case 'AzureML':
      return inHeader(target, 'MSI_SECRET', secrets.header)
    case 'AzureArc': {
      const key = writeSecretFile(LINUX_KEY_DIRECTORY, 'secret.key', secrets.file)
      return {
        ...target,
        before: [{ arcRealm: key }],
        known: [secrets.file],
        cleanup: () => rmSync(key, { force: true }),
      }
    }
    case 'WorkloadIdentity': {
      const tokenFile = writeSecretFile(scratch, 'federated-token', secrets.file)
      return {
        ...target,
        env: { ...target.env, AZURE_FEDERATED_TOKEN_FILE: tokenFile },
        before: [],
        known: [secrets.file],
        cleanup: () => rmSync(tokenFile, { force: true }),
      }
    }
    case 'CloudShell':
    case 'Imds':
      return { ...target, before: [], known: [], cleanup: none }
  }
}

/** Everything a caller or an operator could see of one failed call. */
const visibleText = (
  outcome: Awaited<ReturnType<typeof settle>>['outcome'],
  events: ReadonlyArray<object>,
) => {
  const error = outcome.kind === 'token' ? undefined : outcome.error
  const thrown =
    error instanceof Error
      ? [error.message, error.stack ?? '', String(error), JSON.stringify(error)]
      : [String(error)]
  return [...thrown, JSON.stringify(events)].join('\n')
}

const runOnce = async (
  emulator: Emulator,
  shell: Shell,
  source: EnvironmentName,
  path: FailurePath,
  status: number,
  secrets: Secrets,
) => {
  const prepared = prepare(emulator, source, secrets)
  try {
    emulator.clearRequests()
    emulator.script(source, [...prepared.before, ...faultsFor(path, status, secrets)])
    // retry waits (at least 0.5 s each, docs/protocol.md §2.8) pass in credential time only
    const { credential, events } = baseCredentialFor(
      shell,
      {
        env: prepared.env,
        ...(prepared.ca === undefined ? {} : { ca: prepared.ca }),
        timeoutMs: 150,
        deadlineMs: 3_000,
        retry: { maxRetries: 1, initialDelayMs: 1, maxDelayMs: 2 },
      },
      virtualClock().capabilities,
    )
    const { outcome } = await settle(() => credential.getToken(SCOPE))
    const visible = visibleText(outcome, events)
    const urls = emulator.requests
      .map((request) => `${request.path} ${JSON.stringify(request.query)}`)
      .join('\n')
    return { outcome, visible, urls, known: prepared.known }
  } finally {
    prepared.cleanup()
    emulator.script(source, [])
  }
}

// -------------------------------------------------------------------------------------
// the property
// -------------------------------------------------------------------------------------

/** Every source this shell can get a token from here (Arc only as root on Linux). */
const sourcesFor = sourcesOf

describe('secrets', () => {
  test.concurrent.for(shells)(
    '%s: no secret in any error, log event or URL, whatever fails',
    async (shell, context) => {
      const emulator = await emulatorForTest(context)
      const result = await fc.check(
        fc.asyncProperty(
          fc.constantFrom(...sourcesFor(shell)),
          fc.constantFrom(...failurePaths),
          fc.constantFrom(400, 401, 403, 404, 500, 503),
          fc.record({ header: secret, file: secret, accessToken }),
          async (source, path, status, secrets) => {
            const run = await runOnce(emulator, shell, source, path, status, secrets)
            expect(run.outcome.kind).toBe('error')
            for (const value of [...run.known, secrets.accessToken]) expect(run.visible).not.toContain(value)
            for (const value of run.known) expect(run.urls).not.toContain(value)
          },
        ),
        { numRuns: RUNS, seed: Number.parseInt(randomBytes(4).toString('hex'), 16) | 0 },
      )
      record({
        group,
        case: `random identity headers, keys, federated tokens and access tokens through every failure path (${RUNS} runs)`,
        shell,
        source: sourcesFor(shell).join(', '),
        expected: 'no secret seen',
        actual: result.failed
          ? `leak or error: ${fc.defaultReportMessage(result)?.split('\n')[0]}`
          : 'no secret seen',
        note: `${sourcesFor(shell).length} sources × ${failurePaths.length} failure paths, drawn at random`,
        test: context.task.fullName,
      })
      expect(result.failed, fc.defaultReportMessage(result)).toBe(false)
    },
  )
})
