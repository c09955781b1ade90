/**
 * When a cached token may be served, as a pure decision over a scope's state
 * (docs/protocol.md §5).
 *
 * @since 0.1.0
 */
import type { ManagedIdentityError } from './errors.js'
import type { ScopeState } from './scopeState.js'
import type { AccessToken } from './token.js'

/** A token this close to expiry is not served from the cache without trying to renew it. */
export const EXPIRY_MARGIN_MS = 5 * 60 * 1000
/** At most one refresh attempt per scope in this interval. */
export const REFRESH_INTERVAL_MS = 30 * 1000

/** What to do with a `getToken` for a scope, given its state. */
export type CacheVerdict =
  /** nothing usable: ask the endpoint (joining a request already in flight) */
  | { readonly _tag: 'Fetch' }
  /** fresh: serve it */
  | { readonly _tag: 'Serve'; readonly token: AccessToken }
  /** past its refresh time but far from expiry: serve it and refresh in the background */
  | { readonly _tag: 'ServeAndRefresh'; readonly token: AccessToken }
  /** close to expiry, and a renewal was tried moments ago and failed: serve it rather than hammer the endpoint */
  | { readonly _tag: 'ServeStale'; readonly token: AccessToken }

const attemptedRecently = (state: ScopeState, now: number) =>
  state.lastAttemptAt !== undefined && now - state.lastAttemptAt < REFRESH_INTERVAL_MS

const fetchFromEndpoint: CacheVerdict = { _tag: 'Fetch' }

/** The verdict for a scope in `state` at time `now`. */
export const cacheVerdict = (state: ScopeState, now: number): CacheVerdict => {
  const { token } = state
  if (token === undefined) return fetchFromEndpoint
  const inFlight = state.run !== undefined
  if (now < token.expiresOnTimestamp - EXPIRY_MARGIN_MS) {
    const refreshDue = token.refreshAfterTimestamp !== undefined && now >= token.refreshAfterTimestamp
    return refreshDue && !inFlight && !attemptedRecently(state, now)
      ? { _tag: 'ServeAndRefresh', token }
      : { _tag: 'Serve', token }
  }
  const stillValid = now < token.expiresOnTimestamp
  return stillValid && !inFlight && attemptedRecently(state, now)
    ? { _tag: 'ServeStale', token }
    : fetchFromEndpoint
}

/** After a failed renewal: the cached token still serves until it expires (but not after an abort). */
export const fallbackAfterFailure = (
  cached: AccessToken | undefined,
  error: ManagedIdentityError,
  now: number,
): AccessToken | undefined =>
  cached !== undefined && error._tag !== 'Aborted' && now < cached.expiresOnTimestamp ? cached : undefined
