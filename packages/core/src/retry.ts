/**
 * When and how long to retry, as a pure schedule.
 *
 * IMDS asks clients to retry 404, 408, 410, 429 and 5xx with exponential backoff, to honour
 * `Retry-After`, and to keep retrying a 410 (the endpoint is being updated) for at least
 * 70 seconds. The other sources use the same schedule for the transient statuses every HTTP
 * client retries.
 *
 * @see https://learn.microsoft.com/azure/virtual-machines/instance-metadata-service#errors-and-debugging
 * @since 0.1.0
 */
import * as E from 'fp-ts/lib/Either.js'
import { type HttpRequest, headerValue } from './http.js'
import { done, type Plan, type SendOutcome, send, wait } from './plan.js'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

export interface RetryPolicy {
  /** Retries after the first attempt (the 410 rule may add more). */
  readonly maxRetries: number
  readonly initialDelayMs: number
  readonly maxDelayMs: number
  /** Relative jitter: a delay `d` becomes a draw in `[d(1-j), d(1+j)]`. */
  readonly jitter: number
  readonly retryStatuses: ReadonlyArray<number>
  /** Keep retrying 410 until this much time has passed since the first attempt. */
  readonly goneRetryWindowMs: number
}

const SERVER_ERRORS = [500, 501, 502, 503, 504, 505, 506, 507, 508, 509, 510, 511]

export const imdsRetryPolicy: RetryPolicy = {
  maxRetries: 5,
  initialDelayMs: 800,
  maxDelayMs: 60_000,
  jitter: 0.2,
  retryStatuses: [404, 408, 410, 429, ...SERVER_ERRORS],
  goneRetryWindowMs: 70_000,
}

/** App Service, Arc, Azure ML, Cloud Shell, Service Fabric and Entra ID: transient statuses only. */
export const standardRetryPolicy: RetryPolicy = {
  ...imdsRetryPolicy,
  maxRetries: 3,
  retryStatuses: [408, 429, 500, 502, 503, 504],
  goneRetryWindowMs: 0,
}

/** What the caller may tune. */
export interface RetryOptions {
  readonly maxRetries?: number
  readonly initialDelayMs?: number
  readonly maxDelayMs?: number
}

export const withRetryOptions = (policy: RetryPolicy, options: RetryOptions | undefined): RetryPolicy => ({
  ...policy,
  ...(options?.maxRetries !== undefined && { maxRetries: options.maxRetries }),
  ...(options?.initialDelayMs !== undefined && { initialDelayMs: options.initialDelayMs }),
  ...(options?.maxDelayMs !== undefined && { maxDelayMs: options.maxDelayMs }),
})

// -------------------------------------------------------------------------------------
// schedule
// -------------------------------------------------------------------------------------

/** Transport failures worth another attempt: the endpoint may simply not be up yet. */
const RETRYABLE_FAILURES: ReadonlyArray<string> = ['connect', 'reset', 'timeout']

const isRetryable = (policy: RetryPolicy, outcome: SendOutcome): boolean =>
  E.isLeft(outcome.result)
    ? RETRYABLE_FAILURES.includes(outcome.result.left.kind)
    : policy.retryStatuses.includes(outcome.result.right.status)

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
  policy: RetryPolicy,
  attempt: number,
): { readonly minMs: number; readonly maxMs: number } => {
  const base = Math.min(policy.maxDelayMs, policy.initialDelayMs * 2 ** (attempt - 1))
  return {
    minMs: Math.round(base * (1 - policy.jitter)),
    maxMs: Math.min(policy.maxDelayMs, Math.round(base * (1 + policy.jitter))),
  }
}

const delayFor = (policy: RetryPolicy, attempt: number, outcome: SendOutcome) => {
  const retryAfter = E.isRight(outcome.result)
    ? parseRetryAfter(headerValue(outcome.result.right, 'retry-after'), outcome.receivedAt)
    : undefined
  return retryAfter === undefined ? backoff(policy, attempt) : { minMs: retryAfter, maxMs: retryAfter }
}

const mayRetry = (policy: RetryPolicy, retriesSoFar: number, outcome: SendOutcome, firstSentAt: number) => {
  if (retriesSoFar < policy.maxRetries) return true
  const gone = E.isRight(outcome.result) && outcome.result.right.status === 410
  return gone && outcome.receivedAt - firstSentAt < policy.goneRetryWindowMs
}

/**
 * Send `request`, retrying as `policy` says, and end with the last outcome. A wait that
 * would end past `deadline` is not started: the last outcome is returned instead, so the
 * caller reports the real failure rather than a bare timeout. (The longest draw must fit.)
 */
export const sendWithRetry = (
  request: HttpRequest,
  policy: RetryPolicy,
  deadline: number | undefined,
): Plan<SendOutcome> => {
  const attempt = (retriesSoFar: number, firstSentAt: number | undefined): Plan<SendOutcome> =>
    send(request, (outcome) => {
      const first = firstSentAt ?? outcome.sentAt
      if (!isRetryable(policy, outcome) || !mayRetry(policy, retriesSoFar, outcome, first))
        return done(outcome)
      const delay = delayFor(policy, retriesSoFar + 1, outcome)
      if (deadline !== undefined && outcome.receivedAt + delay.maxMs > deadline) return done(outcome)
      const reason = E.isRight(outcome.result)
        ? { attempt: retriesSoFar + 1, status: outcome.result.right.status }
        : { attempt: retriesSoFar + 1, failure: outcome.result.left.kind }
      return wait(delay.minMs, delay.maxMs, reason, () => attempt(retriesSoFar + 1, first))
    })
  return attempt(0, undefined)
}
