/**
 * Transient statuses that a credential must ride out: 5xx sequences, 429 with `Retry-After`
 * (delay-seconds and HTTP-date) on every source, and IMDS's 410 "being updated", which must be
 * retried for at least 70 s although that is more than the five retries IMDS otherwise gets.
 *
 * Minutes of waiting run in credential time, injected through the core's clock capabilities:
 * a virtual clock for `Retry-After` (exact delays, no real wait) and a clock 100 times faster
 * than real time for the 410 window (the 75 s outage takes under a second).
 */
import type { LogEvent } from '@azmi/core'
import type { Fault } from '@azmi/emulator'
import {
  emulatorForTest,
  scaledClock,
  type TestScope,
  virtualClock,
  watchUnhandledRejections,
} from '@azmi/test-support'
import { describe, expect, test } from 'vitest'
import { SCOPE } from '../support/environments.js'
import { type FaultCase, faultMatrix, withArcChallenge } from '../support/faultCase.js'
import { describeOutcome, type Expected, failed, type Settled, settle, token } from '../support/settle.js'
import { baseCredentialFor, type Shell, shells } from '../support/shells.js'
import { reportGroup } from '../support/verdict.js'

watchUnhandledRejections()
const { group, record } = reportGroup('faults-retries', 'Faults: retries')

/** Attempts of 2 s at most, `maxRetries` retries 5 to 20 ms apart (a `Retry-After` raises that). */
const tuned = (maxRetries: number, deadlineMs: number) => ({
  timeoutMs: 2_000,
  deadlineMs,
  retry: { maxRetries, initialDelayMs: 5, maxDelayMs: 20 },
})

/**
 * How a final error status reads on `source`: Entra ID's error body has an `error` field, so
 * workload identity names it; Arc's first request is its challenge, so a final status there
 * is a failed challenge.
 */
const lastStatus = (source: string): Expected =>
  failed(
    source === 'WorkloadIdentity' ? 'entra_id_error' : source === 'AzureArc' ? 'arc_challenge' : 'http_error',
  )

const statusOf = (outcome: Settled['outcome']) =>
  outcome.kind === 'error' && 'status' in outcome.details && outcome.details.status

const serverErrors: ReadonlyArray<Fault> = [
  { status: 500 },
  { status: 502 },
  { status: 503 },
  { status: 504 },
]

const retryAfterCase = (name: string, header: (now: number) => string, delayMs: number): FaultCase => ({
  name,
  // one retry, whose backoff (5 ms) the Retry-After must override
  tuning: tuned(1, 120_000),
  clock: virtualClock,
  faults: (_source, clock) => [{ status: 429, headers: { 'retry-after': header(clock?.now() ?? 0) } }],
  expected: () => token,
  attempts: withArcChallenge(2),
  check: (_settled, harness, clock) => {
    expect(clock?.sleeps).toEqual([delayMs])
    const scheduled = harness.events.filter((event) => event.event === 'retry-scheduled')
    expect(scheduled).toMatchObject([{ delayMs, status: 429 }])
  },
})

const cases: ReadonlyArray<FaultCase> = [
  {
    name: '500, 502, 503, 504 then success',
    tuning: tuned(4, 5_000),
    faults: () => serverErrors,
    expected: () => token,
    attempts: withArcChallenge(5),
  },
  {
    name: '500, 502, 503, 504 with one retry too few',
    tuning: tuned(3, 5_000),
    faults: () => serverErrors,
    expected: lastStatus,
    attempts: () => 4,
    check: ({ outcome }) => expect(statusOf(outcome)).toBe(504),
  },
  retryAfterCase('429 with Retry-After in seconds', () => '30', 30_000),
  retryAfterCase(
    '429 with Retry-After as an HTTP date',
    (now) => new Date(now + 45_000).toUTCString(),
    45_000,
  ),
  {
    name: '429 with a Retry-After beyond the deadline',
    tuning: tuned(3, 120_000),
    clock: virtualClock,
    faults: () => [{ status: 429, headers: { 'retry-after': '3600' } }],
    // the wait would end after the deadline, so it is not started: the 429 is the answer
    expected: lastStatus,
    attempts: () => 1,
    check: ({ outcome }, _harness, clock) => {
      expect(clock?.sleeps).toEqual([])
      expect(statusOf(outcome)).toBe(429)
    },
  },
]

faultMatrix(group, record, cases)

// -------------------------------------------------------------------------------------
// IMDS 410
// -------------------------------------------------------------------------------------

/** Credential time runs this many times faster than real time. */
const SPEED = 100
const GONE_FOR_MS = 75_000

/** What the emulator answered, in credential time since the first request. */
interface Answer {
  readonly atMs: number
  /** The status, or the transport failure's kind. */
  readonly status: number | string | undefined
}

/**
 * IMDS answering 410 until `goneForMs` of credential time have passed since the first request
 * (the emulator's script is set from the logger, just before each request leaves).
 */
const imdsGoneFor = async (context: TestScope, shell: Shell, goneForMs: number) => {
  const emulator = await emulatorForTest(context)
  const clock = scaledClock(SPEED)
  let now: () => number = () => 0
  let firstSentAt: number | undefined
  const answers: Answer[] = []
  const onEvent = (event: LogEvent) => {
    if (event.event === 'request-sent') {
      firstSentAt ??= now()
      const stillGone = now() - firstSentAt < goneForMs
      emulator.script('Imds', stillGone ? [{ status: 410 } satisfies Fault] : [])
    }
    if (event.event === 'reply-received') {
      const status = event.status ?? event.failure
      answers.push({
        atMs: now() - (firstSentAt ?? 0),
        status: typeof status === 'boolean' ? undefined : status,
      })
    }
  }
  const harness = baseCredentialFor(
    shell,
    { env: emulator.env('Imds'), timeoutMs: 2_000, deadlineMs: 300_000, onEvent },
    (real) => {
      const scaled = clock(real)
      now = scaled.now
      return scaled
    },
  )
  const settled = await settle(() => harness.credential.getToken(SCOPE))
  return { settled, answers }
}

describe('IMDS 410 (being updated)', () => {
  test.concurrent.for(shells)('%s: 410 for 75 s, then a token', async (shell, context) => {
    const { settled, answers } = await imdsGoneFor(context, shell, GONE_FOR_MS)
    record({
      group,
      case: 'IMDS 410 for 75 s, then success (clock ×100)',
      shell,
      source: 'Imds',
      expected: describeOutcome(token),
      actual: describeOutcome(settled.outcome),
      budgetMs: 300_000 / SPEED,
      elapsedMs: settled.elapsedMs,
      requests: answers.length,
      note: `410 × ${answers.filter((answer) => answer.status === 410).length}, then the token (after ≥ 75 s of credential time)`,
      test: context.task.fullName,
    })
    expect(settled.outcome.kind).toBe('token')
    const gone = answers.filter((answer) => answer.status === 410)
    // more than the 6 attempts (1 + 5 retries) IMDS gets for anything else, each 410's retry
    // waiting 10 s or more, and at most 8 requests in the episode (docs/protocol.md §2.8)
    expect(answers.length).toBeGreaterThan(6)
    expect(gone.length).toBeLessThanOrEqual(8)
    // (a real timer may fire up to 1 ms early: 100 ms of credential time at ×100)
    for (const [index, answer] of gone.slice(1).entries())
      expect(answer.atMs - (gone[index]?.atMs ?? 0)).toBeGreaterThanOrEqual(9_900)
    expect(answers.at(-1)?.status).toBe(200)
    expect(answers.at(-1)?.atMs).toBeGreaterThanOrEqual(GONE_FOR_MS)
    expect(answers.slice(0, -1).every((answer) => answer.status === 410)).toBe(true)
  })

  test.concurrent.for(shells)(
    '%s: 410 for longer than the window ends in an error',
    async (shell, context) => {
      const { settled, answers } = await imdsGoneFor(context, shell, Number.POSITIVE_INFINITY)
      const expected: Expected = failed('http_error')
      record({
        group,
        case: 'IMDS 410 beyond the 70 s window (clock ×100)',
        shell,
        source: 'Imds',
        expected: describeOutcome(expected),
        actual: describeOutcome(settled.outcome),
        budgetMs: 300_000 / SPEED,
        elapsedMs: settled.elapsedMs,
        requests: answers.length,
        note: `410 × ${answers.length}; gave up once 70 s of credential time had passed`,
        test: context.task.fullName,
      })
      expect(describeOutcome(settled.outcome)).toBe(describeOutcome(expected))
      expect(statusOf(settled.outcome)).toBe(410)
      // it kept trying for the whole window, and then stopped
      expect(answers.at(-1)?.atMs).toBeGreaterThanOrEqual(70_000)
      expect(answers.filter((answer) => answer.atMs >= 70_000)).toHaveLength(1)
    },
  )
})
