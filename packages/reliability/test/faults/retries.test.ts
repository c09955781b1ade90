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
import { describe, expect, test } from 'vitest'
import { scaledClock, virtualClock } from '../support/clocks.js'
import { emulatorForTest, SCOPE } from '../support/environments.js'
import { type FaultCase, faultMatrix, withArcChallenge } from '../support/faultCase.js'
import { recorder } from '../support/record.js'
import { describeOutcome, type Expected, failed, settle, token } from '../support/settle.js'
import { baseCredentialFor, type Shell, shells } from '../support/shells.js'
import { watchUnhandledRejections } from '../support/unhandled.js'

watchUnhandledRejections()
const record = recorder('faults-retries')
const GROUP = 'Faults: retries'

const retryAfterCase = (name: string, header: (now: number) => string, delayMs: number): FaultCase => ({
  name,
  // one retry, whose backoff (5 ms) the Retry-After must override
  tuning: {
    timeoutMs: 2_000,
    deadlineMs: 120_000,
    retry: { maxRetries: 1, initialDelayMs: 5, maxDelayMs: 20 },
  },
  clock: virtualClock,
  faults: (_source, clock) => [{ status: 429, headers: { 'retry-after': header(clock?.now() ?? 0) } }],
  expected: () => token,
  attempts: withArcChallenge(2),
  check: (_settled, harness, clock) => {
    expect(clock?.sleeps).toEqual([delayMs])
    expect(harness.events.filter((event) => event.event === 'retry-scheduled')).toMatchObject([
      { delayMs, status: 429 },
    ])
  },
})

const cases: ReadonlyArray<FaultCase> = [
  {
    name: '500, 502, 503, 504 then success',
    tuning: {
      timeoutMs: 2_000,
      deadlineMs: 5_000,
      retry: { maxRetries: 4, initialDelayMs: 5, maxDelayMs: 20 },
    },
    faults: () => [{ status: 500 }, { status: 502 }, { status: 503 }, { status: 504 }],
    expected: () => token,
    attempts: withArcChallenge(5),
  },
  {
    name: '500, 502, 503, 504 with one retry too few',
    tuning: {
      timeoutMs: 2_000,
      deadlineMs: 5_000,
      retry: { maxRetries: 3, initialDelayMs: 5, maxDelayMs: 20 },
    },
    faults: () => [{ status: 500 }, { status: 502 }, { status: 503 }, { status: 504 }],
    // Entra ID's error body has an `error` field, so workload identity names it; Arc's first
    // request is its challenge, so a final 504 there is a failed challenge
    expected: (source) =>
      failed(
        source === 'WorkloadIdentity'
          ? 'entra_id_error'
          : source === 'AzureArc'
            ? 'arc_challenge'
            : 'http_error',
      ),
    attempts: () => 4,
    check: ({ outcome }) => {
      expect(outcome.kind === 'error' && 'status' in outcome.details && outcome.details.status).toBe(504)
    },
  },
  retryAfterCase('429 with Retry-After in seconds', () => '30', 30_000),
  retryAfterCase(
    '429 with Retry-After as an HTTP date',
    (now) => new Date(now + 45_000).toUTCString(),
    45_000,
  ),
  {
    name: '429 with a Retry-After beyond the deadline',
    tuning: {
      timeoutMs: 2_000,
      deadlineMs: 120_000,
      retry: { maxRetries: 3, initialDelayMs: 5, maxDelayMs: 20 },
    },
    clock: virtualClock,
    faults: () => [{ status: 429, headers: { 'retry-after': '3600' } }],
    // the wait would end after the deadline, so it is not started: the 429 is the answer
    expected: (source) =>
      failed(
        source === 'WorkloadIdentity'
          ? 'entra_id_error'
          : source === 'AzureArc'
            ? 'arc_challenge'
            : 'http_error',
      ),
    attempts: () => 1,
    check: ({ outcome }, _harness, clock) => {
      expect(clock?.sleeps).toEqual([])
      expect(outcome.kind === 'error' && 'status' in outcome.details && outcome.details.status).toBe(429)
    },
  },
]

faultMatrix(GROUP, record, cases)

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
const imdsGoneFor = async (
  context: Parameters<typeof emulatorForTest>[0],
  shell: Shell,
  goneForMs: number,
) => {
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
      group: GROUP,
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
    // more than the 6 attempts (1 + 5 retries) IMDS gets for anything else
    expect(gone.length).toBeGreaterThan(6)
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
        group: GROUP,
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
      expect(
        settled.outcome.kind === 'error' &&
          'status' in settled.outcome.details &&
          settled.outcome.details.status,
      ).toBe(410)
      // it kept trying for the whole window, and then stopped
      expect(answers.at(-1)?.atMs).toBeGreaterThanOrEqual(70_000)
      expect(answers.filter((answer) => answer.atMs >= 70_000)).toHaveLength(1)
    },
  )
})
