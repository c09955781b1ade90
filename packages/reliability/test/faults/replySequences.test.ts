/**
 * The property behind every class: whatever sequence of replies an endpoint sends (statuses
 * with and without bodies, `Retry-After` values sane and absurd, bodies echoing the secrets or
 * shaped like tokens, hostile bodies, resets, hangs, oversized replies, redirects), every
 * `getToken` settles with a typed result, within its deadline, after at most 12 requests
 * (docs/protocol.md §1.5), and no secret of the environment, nor an access token of a reply,
 * appears in an error or a log event.
 *
 * Both shells, over real sockets, with the shells' own retry schedules. Waits run on a virtual
 * clock (a `Retry-After` of 35 days passes at once), so "within its deadline" is checked in
 * credential time: the waits the credential asked for never add up past `deadlineMs`. Attempt
 * timeouts stay real and short, so a hang costs 150 ms.
 */
import { randomBytes } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { secretVariables } from '@azmi/core'
import type { Emulator, EnvironmentName, Fault } from '@azmi/emulator'
import { emulatorForTest, isLinuxRoot, virtualClock, watchUnhandledRejections } from '@azmi/test-support'
import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import { credentialTarget, SCOPE, sourcesOf } from '../support/environments.js'
import { REPLY_SEQUENCES_GROUP } from '../support/hostileClasses.js'
import { type Outcome, settle } from '../support/settle.js'
import { baseCredentialFor, type Shell, shells } from '../support/shells.js'
import { classOfFamily, reportGroup } from '../support/verdict.js'
import { visibleText } from '../support/visibleText.js'

watchUnhandledRejections()
const report = reportGroup('reply-sequences', REPLY_SEQUENCES_GROUP)
const RUNS = 60
/** The request bound of docs/protocol.md §1.5: probe, retries and both Arc legs together. */
const MAX_REQUESTS = 12
/** Each attempt's timeout, real: a hang costs this much wall-clock time. */
const TIMEOUT_MS = 150

// -------------------------------------------------------------------------------------
// arbitraries
// -------------------------------------------------------------------------------------

const httpDate = (offsetS: number) => new Date(Date.now() + offsetS * 1000).toUTCString()
const retryAfter = fc.oneof(
  fc.constantFrom('0', '1', '30', '86400', '3024000', '-5', 'abc', '1e308', '', ' 2 ', '9'.repeat(40)),
  fc.integer({ min: -3600, max: 40 * 86400 }).map(httpDate),
  fc.nat({ max: 1_000_000_000 }).map(String),
)

/** A body, given what it may echo: the environment's secrets and an access token. */
type Body = (echo: { readonly secrets: ReadonlyArray<string>; readonly accessToken: string }) => string
const bodies: fc.Arbitrary<Body | undefined> = fc.oneof(
  fc.constant(undefined),
  fc.constant<Body>(({ secrets }) => JSON.stringify({ error: 'echo', error_description: secrets.join(' ') })),
  fc.constant<Body>(({ secrets, accessToken }) => `seen ${secrets.join(' ')} access_token=${accessToken}`),
  fc.constant<Body>(({ accessToken }) => JSON.stringify({ access_token: accessToken })),
  fc.constant<Body>(({ accessToken }) => JSON.stringify({ access_token: accessToken, expires_on: 1e308 })),
  fc.constant<Body>(({ accessToken }) => JSON.stringify({ access_token: accessToken, expires_in: '3600' })),
  fc.constant<Body>(({ accessToken }) => `{"acc\\u0065ss_token":"${accessToken}","expires_on":"1000"}`),
  fc.constant<Body>(() => 'eyJ-'.repeat(16_384)),
  fc.string({ maxLength: 64 }).map((text) => () => text),
)

/** Mostly statuses some schedule retries, so that sequences reach the request bound. */
const status = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(404, 408, 410, 429, 500, 502, 503, 504) },
  { weight: 1, arbitrary: fc.constantFrom(200, 201, 302, 400, 401, 403) },
)

/** One reply, as data: the secrets and token are filled in per run. */
type Reply =
  | {
      readonly kind: 'status'
      readonly status: number
      readonly body?: Body | undefined
      readonly retryAfter?: string | undefined
    }
  | { readonly kind: 'fault'; readonly fault: Fault }

const reply: fc.Arbitrary<Reply> = fc.oneof(
  {
    weight: 8,
    arbitrary: fc.record(
      {
        kind: fc.constant('status' as const),
        status,
        body: bodies,
        retryAfter: fc.option(retryAfter, { nil: undefined }),
      },
      { requiredKeys: ['kind', 'status'] },
    ),
  },
  {
    weight: 3,
    arbitrary: fc
      .constantFrom<Fault>(
        { drop: 'before-headers' },
        { drop: 'mid-body' },
        { malformed: 'not-json' },
        { malformed: 'no-access-token' },
        { malformed: 'expired' },
        { redirectTo: 'http://127.0.0.1:9/elsewhere' },
      )
      .map((fault) => ({ kind: 'fault' as const, fault })),
  },
  {
    weight: 1,
    arbitrary: fc
      .constantFrom<Fault>({ hang: true }, { oversizedBodyBytes: 2 * 1024 * 1024 })
      .map((fault) => ({ kind: 'fault' as const, fault })),
  },
)

/** What the caller asked for: a retry option (or the shell's default) and a deadline. */
interface CallerTuning {
  readonly retry?:
    | { readonly maxRetries: number; readonly initialDelayMs: number; readonly maxDelayMs: number }
    | undefined
  readonly deadlineMs: number
}

/** Retries as many and as close together as a caller can ask for. */
const eager: CallerTuning = {
  retry: { maxRetries: 40, initialDelayMs: 0, maxDelayMs: 0 },
  deadlineMs: 120_000,
}

/** Mixed replies, or one reply again and again (a sustained outage, which drives the bound). */
const sequence = fc.oneof(
  fc.array(reply, { maxLength: 14 }),
  fc
    .tuple(reply, fc.integer({ min: 8, max: 16 }))
    .map(([each, count]) => Array.from({ length: count }, () => each)),
)

/** The caller's retry option and deadline: the shells' defaults, or anything up to absurd. */
const callerTuning = fc.record({
  retry: fc.option(
    fc.record({
      maxRetries: fc.integer({ min: 0, max: 40 }),
      initialDelayMs: fc.integer({ min: 0, max: 2_000 }),
      maxDelayMs: fc.integer({ min: 0, max: 60_000 }),
    }),
    { nil: undefined },
  ),
  deadlineMs: fc.constantFrom(1_000, 30_000, 120_000),
})

/** Sustained outages with retries asked for far past the bound, tried first in every run. */
const OUTAGES: Array<[EnvironmentName, Reply[], CallerTuning]> = [
  ['AppService', Array.from({ length: 16 }, () => ({ kind: 'status', status: 503 })), eager],
  ['Imds', Array.from({ length: 16 }, () => ({ kind: 'status', status: 410 })), eager],
  // Arc's first leg failing 11 times, so that its challenge comes as the 12th request: the
  // second leg must not be sent (found by this property before the bound covered both legs)
  ...(isLinuxRoot
    ? [
        ['AzureArc', Array.from({ length: 11 }, () => ({ kind: 'status', status: 503 })), eager] as [
          EnvironmentName,
          Reply[],
          CallerTuning,
        ],
      ]
    : []),
]

const toFault = (each: Reply, echo: Parameters<Body>[0]): Fault =>
  each.kind === 'fault'
    ? each.fault
    : {
        status: each.status,
        ...(each.body === undefined ? {} : { body: each.body(echo) }),
        ...(each.retryAfter === undefined ? {} : { headers: { 'retry-after': each.retryAfter } }),
      }

// -------------------------------------------------------------------------------------
// one run
// -------------------------------------------------------------------------------------

/** The secrets a credential of `source` holds: its secret variables and the federated token. */
const secretsOf = (env: Readonly<Record<string, string>>): ReadonlyArray<string> => [
  ...Object.entries(env)
    .filter(([name]) => (secretVariables as ReadonlySet<string>).has(name))
    .map(([, value]) => value),
  ...(env.AZURE_FEDERATED_TOKEN_FILE === undefined
    ? []
    : [readFileSync(env.AZURE_FEDERATED_TOKEN_FILE, 'utf8')]),
]

const isTyped = (outcome: Outcome) =>
  outcome.kind === 'token' ||
  (outcome.kind === 'error' &&
    outcome.name === (outcome.code === 'aborted' ? 'AbortError' : classOfFamily[outcome.family]))

interface RunFacts {
  readonly outcome: string
  readonly requests: number
  readonly waitedMs: number
  readonly deadlineMs: number
  readonly elapsedMs: number
  readonly typed: boolean
  readonly leaked: ReadonlyArray<string>
}

const runOnce = async (
  emulator: Emulator,
  shell: Shell,
  source: EnvironmentName,
  replies: ReadonlyArray<Reply>,
  caller: CallerTuning,
): Promise<RunFacts> => {
  const target = credentialTarget(emulator, source)
  const secrets = secretsOf(target.env)
  const accessToken = `opaque-${randomBytes(12).toString('hex')}`
  emulator.clearRequests()
  emulator.script(
    source,
    replies.map((each) => toFault(each, { secrets, accessToken })),
  )
  const clock = virtualClock()
  const options = { ...target, timeoutMs: TIMEOUT_MS, deadlineMs: caller.deadlineMs }
  const harness = baseCredentialFor(
    shell,
    caller.retry === undefined ? options : { ...options, retry: caller.retry },
    clock.capabilities,
  )
  const { outcome, elapsedMs } = await settle(() => harness.credential.getToken(SCOPE))
  harness.close()
  emulator.script(source, [])
  const visible = visibleText(outcome, harness.events)
  return {
    outcome:
      outcome.kind === 'error'
        ? outcome.code
        : outcome.kind === 'crash'
          ? `crash: ${String(outcome.error)}`
          : 'token',
    requests: emulator.requests.length,
    waitedMs: clock.sleeps.reduce((sum, ms) => sum + ms, 0),
    deadlineMs: caller.deadlineMs,
    elapsedMs,
    typed: isTyped(outcome),
    leaked: [...secrets, accessToken].filter((secret) => visible.includes(secret)),
  }
}

// -------------------------------------------------------------------------------------
// the property
// -------------------------------------------------------------------------------------

describe('arbitrary reply sequences', () => {
  test.concurrent.for(shells)(
    '%s: every call settles, typed, in time, within 12 requests, leaking nothing',
    // a safety net, not a verdict: runs with hangs cost real attempt timeouts on a busy machine
    { timeout: 60_000 },
    async (shell, context) => {
      const emulator = await emulatorForTest(context)
      const seen: RunFacts[] = []
      const result = await fc.check(
        fc.asyncProperty(
          fc.constantFrom(...sourcesOf(shell)),
          sequence,
          callerTuning,
          async (source, replies, caller) => {
            const facts = await runOnce(emulator, shell, source, replies, caller)
            seen.push(facts)
            expect(facts.typed, facts.outcome).toBe(true)
            expect(facts.requests).toBeLessThanOrEqual(MAX_REQUESTS)
            expect(facts.waitedMs).toBeLessThanOrEqual(facts.deadlineMs)
            expect(facts.leaked).toEqual([])
          },
        ),
        {
          numRuns: RUNS,
          seed: Number.parseInt(randomBytes(4).toString('hex'), 16) | 0,
          examples: OUTAGES,
        },
      )
      const outcomes = [...new Set(seen.map((facts) => facts.outcome))].sort()
      const most = (pick: (facts: RunFacts) => number) => Math.max(0, ...seen.map(pick))
      report.record({
        group: report.group,
        case: `random sequences of up to 14 replies, one getToken each (${RUNS} runs)`,
        shell,
        source: sourcesOf(shell).join(', '),
        expected: `every call typed, ≤ ${MAX_REQUESTS} requests, waits ≤ deadlineMs, nothing leaked`,
        actual: result.failed
          ? `counterexample: ${fc.defaultReportMessage(result)?.split('\n')[0]}`
          : `every call typed, ≤ ${MAX_REQUESTS} requests, waits ≤ deadlineMs, nothing leaked`,
        requests: most((facts) => facts.requests),
        note: `outcomes seen: ${outcomes.join(', ')}; at most ${most((facts) => facts.requests)} requests, ${Math.round(most((facts) => facts.waitedMs) / 1000)} s of credential-time waits and ${most((facts) => facts.elapsedMs)} ms of real time in one call`,
        test: context.task.fullName,
      })
      expect(result.failed, fc.defaultReportMessage(result)).toBe(false)
    },
  )
})
