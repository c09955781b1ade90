/**
 * Class 2: secrets an endpoint echoes back in a spelling the scrubber once missed
 * (docs/protocol.md §1.5, "Redaction"), through both shells over real sockets: a secret
 * straddling the 1000-character quote limit (scrubbing ran after the cut, so 31 of 32
 * characters showed), a secret with surrounding whitespace echoed as the trimmed value the
 * shell sent, secrets echoed JSON-escaped (three ways) and URL- or form-encoded, the federated
 * token echoed by Entra ID, and an opaque access token under a JSON-escaped key.
 *
 * For each, no piece of eight or more characters of the secret, in any of its spellings, may
 * appear in the error's message, stack, `details`, `cause` or JSON, or in any log event.
 * (`secrets.test.ts` is the random property over every failure path; these are the exact
 * echoes that got through.)
 */
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Emulator, EnvironmentName, Fault } from '@azmi/emulator'
import { emulatorForTest, formOf, watchUnhandledRejections } from '@azmi/test-support'
import { afterAll, describe, expect, test } from 'vitest'
import { credentialTarget, SCOPE } from '../support/environments.js'
import { CLASS_GROUPS } from '../support/hostileClasses.js'
import { describeOutcome, failed, type Settled, settle } from '../support/settle.js'
import { credentialFor, type Shell, shells } from '../support/shells.js'
import { classOfFamily, type NamedTest, reportGroup } from '../support/verdict.js'
import { partsSeen, visibleText } from '../support/visibleText.js'

watchUnhandledRejections()
const report = reportGroup('class-02-secret-spellings', CLASS_GROUPS[2])
const scratch = mkdtempSync(join(tmpdir(), 'azmi-reliability-spellings-'))
afterAll(() => rmSync(scratch, { recursive: true, force: true }))

const tuning = { timeoutMs: 2_000, deadlineMs: 5_000, retry: { maxRetries: 0 } }

/** 32 random letters and digits: no fixed text of the suite can hold a piece of one by chance. */
const randomSecret = (prefix = ''): string =>
  `${prefix}${randomBytes(32)
    .toString('base64')
    .replace(/[^A-Za-z0-9]/g, '')
    .slice(0, 32 - prefix.length)}`

/** How JSON writers spell `secret` inside a string: as JSON does, with `\/`, and .NET's `\uXXXX`. */
const jsonSpellings = (secret: string) => {
  const json = JSON.stringify(secret).slice(1, -1)
  const unicode = secret.replace(
    /[^A-Za-z0-9]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  )
  return { json, slashed: json.replaceAll('/', '\\/'), unicode }
}

/** How an endpoint may write `secret` back: as sent, JSON-escaped (three ways), URL- or form-encoded. */
const spellings = (secret: string): ReadonlyArray<string> => {
  const { json, slashed, unicode } = jsonSpellings(secret)
  const uri = encodeURIComponent(secret)
  const lowerHex = uri.replace(/%[0-9A-F]{2}/g, (code) => code.toLowerCase())
  return [...new Set([secret, json, slashed, unicode, uri, lowerHex, uri.replaceAll('%20', '+')])]
}

interface SpellingCase {
  readonly name: string
  readonly source: EnvironmentName
  /** The secret the credential holds, as the environment or the file holds it. */
  readonly held: string
  /** Puts `held` where the source takes it from; returns the credential's variables. */
  readonly place: (env: Record<string, string>, held: string) => Record<string, string>
  /** The endpoint's answer, echoing `sent` (what the shell put on the wire). */
  readonly reply: (sent: string) => Fault
  /** What the shell sends of `held`. */
  readonly sent?: (held: string) => string
  readonly code: string
}

const inVariable =
  (variable: string) =>
  (env: Record<string, string>, held: string): Record<string, string> => ({ ...env, [variable]: held })

let files = 0
const inTokenFile = (env: Record<string, string>, held: string): Record<string, string> => {
  files += 1
  const path = join(scratch, `federated-token-${files}`)
  writeFileSync(path, held, { mode: 0o600 })
  return { ...env, AZURE_FEDERATED_TOKEN_FILE: path }
}

const textReply = (status: number, body: string): Fault => ({
  status,
  body,
  headers: { 'content-type': 'text/plain' },
})
const jsonReply = (status: number, body: object): Fault => ({ status, body: JSON.stringify(body) })
/** Every spelling of `sent`, as text. */
const everySpelling = (sent: string) => `seen: ${spellings(sent).join(' | ')}`
/**
 * A JSON error whose description holds `sent` as JSON writers spell it: escaped as JSON does
 * (`\"`, `\\`), with `\/` as some do, and every other character as `\uXXXX` as .NET does.
 */
const jsonEcho = (status: number, error: string, sent: string, more = ''): Fault => {
  const { json, slashed, unicode } = jsonSpellings(sent)
  return {
    status,
    body: `{"error":"${error}","error_description":"seen ${json} / ${slashed} / ${unicode}${more}"}`,
  }
}

const cases = (): ReadonlyArray<SpellingCase> => [
  {
    name: 'IDENTITY_HEADER echoed across the 1000-character quote limit',
    source: 'AppService',
    held: randomSecret(),
    place: inVariable('IDENTITY_HEADER'),
    // 31 of its 32 characters before the cut, as the attack run sent it
    reply: (sent) => textReply(400, `${'x '.repeat(484)}y${sent} and more after it`),
    code: 'http_error',
  },
  {
    name: 'MSI_SECRET echoed across the 1000-character quote limit',
    source: 'AzureML',
    held: randomSecret(),
    place: inVariable('MSI_SECRET'),
    reply: (sent) => textReply(400, `${'x '.repeat(492)}${sent} and more after it`),
    code: 'http_error',
  },
  {
    name: 'IDENTITY_HEADER with surrounding whitespace, echoed as sent (trimmed)',
    source: 'AppService',
    held: `  ${randomSecret()}\t `,
    place: inVariable('IDENTITY_HEADER'),
    sent: (held) => held.trim(),
    reply: (sent) => jsonReply(400, { error: 'bad_request', error_description: `header ${sent} refused` }),
    code: 'http_error',
  },
  {
    name: 'IDENTITY_HEADER echoed JSON-escaped and \\u-escaped',
    source: 'AppService',
    held: `${randomSecret().slice(0, 12)}"\\/${randomSecret().slice(0, 12)}`,
    place: inVariable('IDENTITY_HEADER'),
    reply: (sent) => jsonEcho(400, 'bad_request', sent),
    code: 'http_error',
  },
  {
    name: 'IDENTITY_HEADER echoed URL- and form-encoded',
    source: 'AppService',
    held: `${randomSecret().slice(0, 12)}+/= &${randomSecret().slice(0, 12)}`,
    place: inVariable('IDENTITY_HEADER'),
    reply: (sent) => textReply(400, `header=${encodeURIComponent(sent)}&${everySpelling(sent)}`),
    code: 'http_error',
  },
  {
    name: 'the federated token echoed by Entra ID (raw, JSON-escaped, form-encoded)',
    source: 'WorkloadIdentity',
    held: `${randomSecret()}.${randomSecret()}+/=`,
    place: inTokenFile,
    reply: (sent) => jsonEcho(400, 'invalid_client', sent, ` client_assertion=${encodeURIComponent(sent)}`),
    code: 'entra_id_error',
  },
]

/** An opaque access token (no JWT shape) under `"acc\u0065ss_token"`, in an expired 200 and in an error. */
const escapedKeyCases: ReadonlyArray<{ name: string; body: (token: string) => string; code: string }> = [
  {
    name: 'an opaque access token under a JSON-escaped key, in an expired 200',
    body: (token) => `{"acc\\u0065ss_token":"${token}","expires_on":"1000"}`,
    code: 'invalid_response',
  },
  {
    name: 'an opaque access token under a JSON-escaped key, in a 400',
    body: (token) => `{"error":"x","nested":{"\\u0061ccess_token":"${token}"}}`,
    code: 'http_error',
  },
]

const scan = (visible: string, secret: string) =>
  spellings(secret).flatMap((each) => partsSeen(visible, each))

const run = async (
  emulator: Emulator,
  shell: Shell,
  source: EnvironmentName,
  env: Record<string, string>,
) => {
  const target = credentialTarget(emulator, source)
  const harness = credentialFor(shell, { ...target, env, ...tuning })
  const settled = await settle(() => harness.credential.getToken(SCOPE))
  harness.close()
  return { settled, visible: visibleText(settled.outcome, harness.events) }
}

/** Record the case (before asserting), then check its code, class and that nothing was seen. */
const recordAndCheck = (
  context: NamedTest,
  facts: { readonly name: string; readonly shell: Shell; readonly source: EnvironmentName },
  emulator: Emulator,
  {
    settled,
    seen,
    code,
  }: { readonly settled: Settled; readonly seen: ReadonlyArray<string>; readonly code: string },
) => {
  const nothing = 'nothing of the secret seen'
  report.record({
    group: report.group,
    case: `class 2: ${facts.name}`,
    shell: facts.shell,
    source: facts.source,
    expected: `${describeOutcome(failed(code))}, ${nothing}`,
    actual: `${describeOutcome(settled.outcome)}, ${seen.length === 0 ? nothing : `${seen.length} pieces seen`}`,
    budgetMs: tuning.deadlineMs,
    elapsedMs: settled.elapsedMs,
    requests: emulator.requests.length,
    test: context.task.fullName,
  })
  expect(seen).toEqual([])
  expect(describeOutcome(settled.outcome)).toBe(describeOutcome(failed(code)))
  expect(settled.outcome.kind === 'error' && settled.outcome.name).toBe(classOfFamily.failed)
}

/** What the shell put on the wire for the secret: a header, or the form's client_assertion. */
const onTheWire = (emulator: Emulator, source: EnvironmentName): ReadonlyArray<string> => {
  const request = emulator.requests.at(-1)
  if (request === undefined) return []
  return source === 'WorkloadIdentity'
    ? [formOf(request).client_assertion ?? '']
    : Object.values(request.headers).filter((value): value is string => typeof value === 'string')
}

describe('class 2: secrets echoed in every spelling', () => {
  for (const shell of shells) {
    for (const each of cases()) {
      test.concurrent(`${shell}: ${each.name}`, async (context) => {
        const emulator = await emulatorForTest(context)
        const sent = (each.sent ?? ((held: string) => held))(each.held)
        emulator.script(each.source, [each.reply(sent)])
        const env = each.place(credentialTarget(emulator, each.source).env, each.held)
        const { settled, visible } = await run(emulator, shell, each.source, env)
        const seen = [...new Set([...scan(visible, sent), ...scan(visible, each.held)])]
        recordAndCheck(context, { name: each.name, shell, source: each.source }, emulator, {
          settled,
          seen,
          code: each.code,
        })
        // the shell really sent the secret (trimmed where it trims): the echo was of its own bytes
        expect(onTheWire(emulator, each.source)).toContain(sent)
      })
    }
    for (const each of escapedKeyCases) {
      test.concurrent(`${shell}: ${each.name}`, async (context) => {
        const emulator = await emulatorForTest(context)
        const accessToken = randomSecret('opaque')
        emulator.script('AppService', [
          { status: each.code === 'http_error' ? 400 : 200, body: each.body(accessToken) },
        ])
        const env = credentialTarget(emulator, 'AppService').env
        const { settled, visible } = await run(emulator, shell, 'AppService', env)
        const seen = partsSeen(visible, accessToken)
        recordAndCheck(context, { name: each.name, shell, source: 'AppService' }, emulator, {
          settled,
          seen,
          code: each.code,
        })
      })
    }
  }
})
