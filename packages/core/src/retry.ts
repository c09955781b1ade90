/**
 * When and how long to retry, as data (docs/protocol.md §2.8): each source has a schedule, and
 * one function, {@link sendWithRetry}, reads any of them into a plan of sends and waits.
 *
 * Rules every schedule obeys: a `Retry-After` raises a delay and never lowers it; no retry
 * comes sooner than 0.5 s after the failure; one `getToken` sends at most 12 requests in all
 * (probe and both Arc legs included). The schedule knows nothing of the clock or the deadline:
 * each wait carries its delay range and what to do if the deadline comes first, and the
 * interpreter decides.
 *
 * @see https://learn.microsoft.com/azure/virtual-machines/instance-metadata-service#errors-and-debugging
 * @since 0.1.0
 */
import * as E from 'fp-ts/lib/Either.js'
import { type ManagedIdentityError, transportError } from './errors.js'
import { type HttpRequest, headerValue, type TransportFailureKind } from './http.js'
import { done, type Plan, type SendOutcome, send, wait } from './plan.js'
import type { SourceName } from './sourceList.js'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/** One source's retry rules. */
export interface RetrySchedule {
  /** Retries after the first attempt (the 410 rule may add more, within the request bound). */
  readonly maxRetries: number
  /** The first retry's delay; each later one doubles it. */
  readonly initialDelayMs: number
  /** No backoff delay grows past this. */
  readonly maxDelayMs: number
  /** Relative jitter: a delay `d` becomes a draw in `[d(1-j), d(1+j)]`. */
  readonly jitter: number
  /** Statuses always retried. */
  readonly retryStatuses: ReadonlyArray<number>
  /** Statuses retried only when the reply carries `Retry-After` (App Service's 404 and 410). */
  readonly retryStatusesWithRetryAfter: ReadonlyArray<number>
  /** Transport failures retried. */
  readonly retryFailures: ReadonlyArray<TransportFailureKind>
  /**
   * IMDS's 410 ("being updated, back within 70 s"): each delay at least `minDelayMs`, and
   * retried until `windowMs` have passed since the first attempt.
   */
  readonly gone?: {
    /** The shortest wait before retrying a 410, in milliseconds. */
    readonly minDelayMs: number
    /** How long after the first attempt 410s are still retried, in milliseconds. */
    readonly windowMs: number
  }
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

/** No retry starts sooner than this after the failure it follows. */
export const MIN_RETRY_DELAY_MS = 500
/** One `getToken` sends at most this many requests, whatever the endpoint answers. */
export const REQUEST_BOUND = 12

/**
 * What a `Send` ends in once the call has sent {@link REQUEST_BOUND} requests: it is not sent.
 * Retries stop at the bound by themselves; this catches a plan's next leg (Azure Arc's
 * second request after a first that used up the bound).
 */
export const requestBoundReached = (source?: SourceName): ManagedIdentityError =>
  transportError({
    ...(source === undefined ? {} : { source }),
    kind: 'other',
    message: `Stopped after ${REQUEST_BOUND} requests, the most one getToken sends: the endpoint kept failing.`,
  })

/** The schedule with the caller's tuning applied (the floor and the bound still hold). */
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
// the schedule most sources share
// -------------------------------------------------------------------------------------

/** Every 5xx status. */
export const SERVER_ERRORS: ReadonlyArray<number> = Array.from({ length: 100 }, (_, index) => 500 + index)
/** Transport failures worth another attempt: the endpoint may simply not be up yet. */
export const TRANSIENT_FAILURES: ReadonlyArray<TransportFailureKind> = ['connect', 'reset', 'timeout']

/** Azure Arc, Azure ML, Cloud Shell and Entra ID: the transient statuses every HTTP client retries. */
export const standardRetrySchedule: RetrySchedule = {
  maxRetries: 3,
  initialDelayMs: 800,
  maxDelayMs: 60_000,
  jitter: 0.2,
  retryStatuses: [408, 429, 500, 502, 503, 504],
  retryStatusesWithRetryAfter: [],
  retryFailures: TRANSIENT_FAILURES,
}

// -------------------------------------------------------------------------------------
// reading a schedule
// -------------------------------------------------------------------------------------

/** `Retry-After` as delay-seconds or an HTTP-date, relative to when the reply arrived. */
export const parseRetryAfter = (value: string | undefined, receivedAt: number): number | undefined => {
  if (value === undefined) return undefined
  const trimmed = value.trim()
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000
  const date = Date.parse(trimmed)
  return Number.isNaN(date) ? undefined : Math.max(0, date - receivedAt)
}

const retryAfterOf = (outcome: SendOutcome): number | undefined =>
  E.isRight(outcome.result)
    ? parseRetryAfter(headerValue(outcome.result.right, 'retry-after'), outcome.receivedAt)
    : undefined

const isRetryable = (schedule: RetrySchedule, outcome: SendOutcome): boolean => {
  if (E.isLeft(outcome.result)) return schedule.retryFailures.includes(outcome.result.left.kind)
  const { status } = outcome.result.right
  if (schedule.retryStatuses.includes(status)) return true
  return schedule.retryStatusesWithRetryAfter.includes(status) && retryAfterOf(outcome) !== undefined
}

const isGone = (schedule: RetrySchedule, outcome: SendOutcome): boolean =>
  schedule.gone !== undefined && E.isRight(outcome.result) && outcome.result.right.status === 410

/** The backoff range before retry number `attempt` (1-based), before any raise. */
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

/** The delay range before retry `attempt`: the backoff, raised by `Retry-After`, the 410 rule and the floor. */
export const delayBefore = (schedule: RetrySchedule, attempt: number, outcome: SendOutcome) => {
  const raises = [
    MIN_RETRY_DELAY_MS,
    retryAfterOf(outcome) ?? 0,
    isGone(schedule, outcome) ? (schedule.gone?.minDelayMs ?? 0) : 0,
  ]
  const least = Math.max(...raises)
  const range = backoff(schedule, attempt)
  return { minMs: Math.max(range.minMs, least), maxMs: Math.max(range.maxMs, least) }
}

const mayRetry = (
  schedule: RetrySchedule,
  retriesSoFar: number,
  outcome: SendOutcome,
  firstSentAt: number,
) => {
  if (outcome.requestNumber >= REQUEST_BOUND || !isRetryable(schedule, outcome)) return false
  if (retriesSoFar < schedule.maxRetries) return true
  const window = schedule.gone?.windowMs ?? 0
  return isGone(schedule, outcome) && outcome.receivedAt - firstSentAt < window
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
      if (!mayRetry(schedule, retriesSoFar, outcome, first)) return done(outcome)
      const retry = retriesSoFar + 1
      const delay = { ...delayBefore(schedule, retry, outcome), reason: reasonOf(retry, outcome) }
      return wait(
        delay,
        () => attempt(retry, first),
        () => done(outcome),
      )
    })
  return attempt(0, undefined)
}
