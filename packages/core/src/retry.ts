/**
 * When and how long to retry, as data: each source has a schedule (docs/protocol.md §2.8), and
 * one function, {@link sendWithRetry}, reads any of them into a plan of sends and waits.
 *
 * The schedule knows nothing of the clock or the deadline: the plan's waits carry their delay
 * range and what to do if the deadline comes first, and the interpreter decides.
 *
 * @see https://learn.microsoft.com/azure/virtual-machines/instance-metadata-service#errors-and-debugging
 * @since 0.1.0
 */
import * as E from 'fp-ts/lib/Either.js'
import { type HttpRequest, headerValue, type TransportFailureKind } from './http.js'
import { done, type Plan, type SendOutcome, send, wait } from './plan.js'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/** One source's retry rules. */
export interface RetrySchedule {
  /** Retries after the first attempt (the 410 rule may add more). */
  readonly maxRetries: number
  readonly initialDelayMs: number
  readonly maxDelayMs: number
  /** Relative jitter: a delay `d` becomes a draw in `[d(1-j), d(1+j)]`. */
  readonly jitter: number
  readonly retryStatuses: ReadonlyArray<number>
  readonly retryFailures: ReadonlyArray<TransportFailureKind>
  /** Keep retrying 410 until this much time has passed since the first attempt (0: no such rule). */
  readonly goneRetryWindowMs: number
}

/** What the caller may tune. */
export interface RetryOptions {
  /** Retries after the first attempt. */
  readonly maxRetries?: number | undefined
  /** The first retry's delay; each later one doubles it. */
  readonly initialDelayMs?: number | undefined
  /** No backoff delay grows past this. */
  readonly maxDelayMs?: number | undefined
}

/** The schedule with the caller's tuning applied. */
export const withRetryOptions = (
  schedule: RetrySchedule,
  options: RetryOptions | undefined,
): RetrySchedule => ({
  ...schedule,
  ...(options?.maxRetries !== undefined && { maxRetries: options.maxRetries }),
  ...(options?.initialDelayMs !== undefined && { initialDelayMs: options.initialDelayMs }),
  ...(options?.maxDelayMs !== undefined && { maxDelayMs: options.maxDelayMs }),
})

// -------------------------------------------------------------------------------------
// schedules
// -------------------------------------------------------------------------------------

const SERVER_ERRORS = [500, 501, 502, 503, 504, 505, 506, 507, 508, 509, 510, 511]
/** Transport failures worth another attempt: the endpoint may simply not be up yet. */
const TRANSIENT_FAILURES: ReadonlyArray<TransportFailureKind> = ['connect', 'reset', 'timeout']

/** IMDS: 404, 408, 410, 429 and 5xx, five retries, and the 410 rule. */
export const imdsRetrySchedule: RetrySchedule = {
  maxRetries: 5,
  initialDelayMs: 800,
  maxDelayMs: 60_000,
  jitter: 0.2,
  retryStatuses: [404, 408, 410, 429, ...SERVER_ERRORS],
  retryFailures: TRANSIENT_FAILURES,
  goneRetryWindowMs: 70_000,
}

/** The other endpoints: the transient statuses every HTTP client retries. */
export const standardRetrySchedule: RetrySchedule = {
  ...imdsRetrySchedule,
  maxRetries: 3,
  retryStatuses: [408, 429, 500, 502, 503, 504],
  goneRetryWindowMs: 0,
}

// -------------------------------------------------------------------------------------
// reading a schedule
// -------------------------------------------------------------------------------------

const isRetryable = (schedule: RetrySchedule, outcome: SendOutcome): boolean =>
  E.isLeft(outcome.result)
    ? schedule.retryFailures.includes(outcome.result.left.kind)
    : schedule.retryStatuses.includes(outcome.result.right.status)

/** `Retry-After` as delay-seconds or an HTTP-date, relative to when the reply arrived. */
export const parseRetryAfter = (value: string | undefined, receivedAt: number): number | undefined => {
  if (value === undefined) return undefined
  const trimmed = value.trim()
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000
  const date = Date.parse(trimmed)
  return Number.isNaN(date) ? undefined : Math.max(0, date - receivedAt)
}

/** The delay range before retry number `attempt` (1-based). */
export const backoff = (
  schedule: RetrySchedule,
  attempt: number,
): { readonly minMs: number; readonly maxMs: number } => {
  const base = Math.min(schedule.maxDelayMs, schedule.initialDelayMs * 2 ** (attempt - 1))
  return {
    minMs: Math.round(base * (1 - schedule.jitter)),
    maxMs: Math.min(schedule.maxDelayMs, Math.round(base * (1 + schedule.jitter))),
  }
}

const delayFor = (schedule: RetrySchedule, attempt: number, outcome: SendOutcome) => {
  const retryAfter = E.isRight(outcome.result)
    ? parseRetryAfter(headerValue(outcome.result.right, 'retry-after'), outcome.receivedAt)
    : undefined
  return retryAfter === undefined ? backoff(schedule, attempt) : { minMs: retryAfter, maxMs: retryAfter }
}

const mayRetry = (
  schedule: RetrySchedule,
  retriesSoFar: number,
  outcome: SendOutcome,
  firstSentAt: number,
) => {
  if (retriesSoFar < schedule.maxRetries) return true
  const gone = E.isRight(outcome.result) && outcome.result.right.status === 410
  return gone && outcome.receivedAt - firstSentAt < schedule.goneRetryWindowMs
}

const reasonOf = (attempt: number, outcome: SendOutcome) =>
  E.isRight(outcome.result)
    ? { attempt, status: outcome.result.right.status }
    : { attempt, failure: outcome.result.left.kind }

/**
 * Send `request`, retrying as `schedule` says, and end with the last outcome. A wait the
 * deadline would cut short is not started: the plan ends with the outcome it has, so the
 * caller reports the real failure rather than a bare timeout.
 */
export const sendWithRetry = (request: HttpRequest, schedule: RetrySchedule): Plan<SendOutcome> => {
  const attempt = (retriesSoFar: number, firstSentAt: number | undefined): Plan<SendOutcome> =>
    send(request, (outcome) => {
      const first = firstSentAt ?? outcome.sentAt
      if (!isRetryable(schedule, outcome) || !mayRetry(schedule, retriesSoFar, outcome, first))
        return done(outcome)
      const delay = {
        ...delayFor(schedule, retriesSoFar + 1, outcome),
        reason: reasonOf(retriesSoFar + 1, outcome),
      }
      return wait(
        delay,
        () => attempt(retriesSoFar + 1, first),
        () => done(outcome),
      )
    })
  return attempt(0, undefined)
}
