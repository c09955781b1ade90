/** The cache decision is pure: properties over arbitrary tokens, clocks and attempt times. */
import fc from 'fast-check'
import { expect, test } from 'vitest'
import {
  cacheVerdict,
  EXPIRY_MARGIN_MS,
  fallbackAfterFailure,
  REFRESH_INTERVAL_MS,
} from '../src/cachePolicy.js'
import { timeout } from '../src/errors.js'
import type { AccessToken } from '../src/index.js'
import type { Run, ScopeState } from '../src/scopeState.js'

const NOW = 1_800_000_000_000
const token = (expiresInMs: number, refreshInMs?: number): AccessToken => ({
  token: 't',
  tokenType: 'Bearer',
  expiresOnTimestamp: NOW + expiresInMs,
  ...(refreshInMs !== undefined && { refreshAfterTimestamp: NOW + refreshInMs }),
})

const inFlight: Run = {
  id: 1,
  background: false,
  waiters: 1,
  outcome: new Promise(() => undefined),
  cancel: () => undefined,
}
const scope = (
  token: AccessToken | undefined,
  lastAttemptAt: number | undefined,
  requestInFlight: boolean,
): ScopeState => ({
  ...(token !== undefined && { token }),
  ...(lastAttemptAt !== undefined && { lastAttemptAt }),
  ...(requestInFlight && { run: inFlight }),
})

const state = fc.record({
  expiresInMs: fc.integer({ min: -3_600_000, max: 86_400_000 }),
  refreshInMs: fc.option(fc.integer({ min: -86_400_000, max: 86_400_000 }), { nil: undefined }),
  attemptedAgoMs: fc.option(fc.integer({ min: 0, max: 120_000 }), { nil: undefined }),
  requestInFlight: fc.boolean(),
})

test('no cached token: always fetch', () => {
  expect(cacheVerdict(scope(undefined, undefined, false), NOW)).toEqual({ _tag: 'Fetch' })
})

test('a token is served only while valid, and freely only while more than 5 minutes remain', () => {
  fc.assert(
    fc.property(state, ({ expiresInMs, refreshInMs, attemptedAgoMs, requestInFlight }) => {
      const cached = token(expiresInMs, refreshInMs)
      const verdict = cacheVerdict(
        scope(cached, attemptedAgoMs === undefined ? undefined : NOW - attemptedAgoMs, requestInFlight),
        NOW,
      )
      if (expiresInMs <= 0) expect(verdict._tag).toBe('Fetch')
      if (verdict._tag !== 'Fetch') expect(verdict.token).toBe(cached)
      if (verdict._tag === 'Serve' || verdict._tag === 'ServeAndRefresh')
        expect(expiresInMs).toBeGreaterThan(EXPIRY_MARGIN_MS)
      if (verdict._tag === 'ServeStale') expect(attemptedAgoMs).toBeLessThan(REFRESH_INTERVAL_MS)
      if (verdict._tag === 'ServeAndRefresh') expect(requestInFlight).toBe(false)
    }),
  )
})

test('past the refresh time: refresh once, then not again within 30 s', () => {
  const cached = token(10 * 3_600_000, -1)
  expect(cacheVerdict(scope(cached, undefined, false), NOW)._tag).toBe('ServeAndRefresh')
  expect(cacheVerdict(scope(cached, NOW - 1000, false), NOW)._tag).toBe('Serve')
  expect(cacheVerdict(scope(cached, NOW - REFRESH_INTERVAL_MS, false), NOW)._tag).toBe('ServeAndRefresh')
})

test('the fallback after a failure is the cached token until it expires, never after an abort', () => {
  const error = timeout({ message: 'slow' })
  expect(fallbackAfterFailure(token(60_000), error, NOW)).toMatchObject({ token: 't' })
  expect(fallbackAfterFailure(token(-1), error, NOW)).toBeUndefined()
  expect(
    fallbackAfterFailure(token(60_000), { ...error, _tag: 'Aborted', code: 'aborted' } as never, NOW),
  ).toBeUndefined()
})
