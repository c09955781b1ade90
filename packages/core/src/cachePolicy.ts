/**
 * When a cached token may be served, as a pure decision (protocol.md §5).
 *
 * @since 0.1.0
 */
import type { ManagedIdentityError } from './errors.js'
import type { AccessToken } from './token.js'

/** A token this close to expiry is not served from the cache without trying to renew it. */
export const EXPIRY_MARGIN_MS = 5 * 60 * 1000
/** At most one refresh attempt per scope in this interval. */
export const REFRESH_INTERVAL_MS = 30 * 1000

export type CacheVerdict =
  /** nothing usable: ask the endpoint (joining a request already in flight) */
  | 'fetch'
  /** fresh: serve it */
  | 'serve'
  /** past its refresh time but far from expiry: serve it and refresh in the background */
  | 'serve-and-refresh'
  /** close to expiry, a renewal was tried moments ago and failed: serve it rather than hammer the endpoint */
  | 'serve-stale'

export interface CacheState {
  readonly cached: AccessToken | undefined
  /** When this scope's endpoint was last asked, if ever. */
  readonly lastAttemptAt: number | undefined
  readonly requestInFlight: boolean
}

const attemptedRecently = (state: CacheState, now: number) =>
  state.lastAttemptAt !== undefined && now - state.lastAttemptAt < REFRESH_INTERVAL_MS

export const cacheVerdict = (state: CacheState, now: number): CacheVerdict => {
  const { cached } = state
  if (cached === undefined) return 'fetch'
  if (now < cached.expiresOnTimestamp - EXPIRY_MARGIN_MS) {
    const refreshDue = cached.refreshAfterTimestamp !== undefined && now >= cached.refreshAfterTimestamp
    return refreshDue && !state.requestInFlight && !attemptedRecently(state, now)
      ? 'serve-and-refresh'
      : 'serve'
  }
  const stillValid = now < cached.expiresOnTimestamp
  return stillValid && !state.requestInFlight && attemptedRecently(state, now) ? 'serve-stale' : 'fetch'
}

/** After a failed renewal: the cached token still serves until it expires (but not after an abort). */
export const fallbackAfterFailure = (
  cached: AccessToken | undefined,
  error: ManagedIdentityError,
  now: number,
): AccessToken | undefined =>
  cached !== undefined && error._tag !== 'Aborted' && now < cached.expiresOnTimestamp ? cached : undefined
