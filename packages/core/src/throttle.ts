/**
 * Throttle memory (docs/protocol.md §5.2): after an endpoint's final answer was 429 or 5xx, a
 * credential holds back every call that would reach it for the `Retry-After` it gave (at most
 * 60 s), or 5 s without one, and fails those calls at once instead of adding to its load.
 * Claims calls are not held back. The decisions are pure; the credential keeps the windows.
 *
 * @since 0.2.0
 */
import { type ManagedIdentityError, type Throttled, throttled } from './errors.js'
import type { LastReply } from './interpret.js'
import type { SourceName } from './sourceList.js'

/** How long an endpoint is held back when it gave no `Retry-After`. */
export const DEFAULT_THROTTLE_MS = 5_000
/** The longest an endpoint is held back, whatever its `Retry-After`. */
export const MAX_THROTTLE_MS = 60_000

/** One endpoint held back. */
export interface ThrottleWindow {
  readonly until: number
  readonly status: number
  readonly requestId: string
  readonly family: Throttled['family']
}

const isThrottling = (status: number) => status === 429 || (status >= 500 && status <= 599)

/** The window a failed run opens, if its last reply was a 429 or a 5xx. */
export const windowAfter = (
  error: ManagedIdentityError,
  lastReply: LastReply | undefined,
  now: number,
): ThrottleWindow | undefined => {
  if (lastReply === undefined || !isThrottling(lastReply.status) || error.family === 'configuration')
    return undefined
  const holdMs = Math.min(MAX_THROTTLE_MS, lastReply.retryAfterMs ?? DEFAULT_THROTTLE_MS)
  if (holdMs <= 0) return undefined
  const family = error.family === 'unavailable' ? 'unavailable' : 'failed'
  return { until: now + holdMs, status: lastReply.status, requestId: lastReply.requestId, family }
}

/** The error of a call held back by `window`. */
export const heldBack = (source: SourceName, window: ThrottleWindow): Throttled =>
  throttled(window.family, {
    source,
    status: window.status,
    until: window.until,
    requestId: window.requestId,
    message: `${source} managed identity endpoint answered ${window.status} moments ago; this call was not sent, to let it recover. Try again after ${new Date(window.until).toISOString()}.`,
  })
