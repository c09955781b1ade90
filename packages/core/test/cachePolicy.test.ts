/** The cache decision is pure: properties over arbitrary tokens, clocks and attempt times. */
import fc from 'fast-check'
import { expect, test } from 'vitest'
import {
  type AccessToken,
  cacheVerdict,
  EXPIRY_MARGIN_MS,
  fallbackAfterFailure,
  REFRESH_INTERVAL_MS,
  timeout,
} from '../src/index.js'

const NOW = 1_800_000_000_000
const token = (expiresInMs: number, refreshInMs?: number): AccessToken => ({
  token: 't',
  tokenType: 'Bearer',
  expiresOnTimestamp: NOW + expiresInMs,
  ...(refreshInMs !== undefined && { refreshAfterTimestamp: NOW + refreshInMs }),
})

const state = fc.record({
  expiresInMs: fc.integer({ min: -3_600_000, max: 86_400_000 }),
  refreshInMs: fc.option(fc.integer({ min: -86_400_000, max: 86_400_000 }), { nil: undefined }),
  attemptedAgoMs: fc.option(fc.integer({ min: 0, max: 120_000 }), { nil: undefined }),
  requestInFlight: fc.boolean(),
})

test('no cached token: always fetch', () => {
  expect(cacheVerdict({ cached: undefined, lastAttemptAt: undefined, requestInFlight: false }, NOW)).toBe(
    'fetch',
  )
})

test('a token is served only while valid, and freely only while more than 5 minutes remain', () => {
  fc.assert(
    fc.property(state, ({ expiresInMs, refreshInMs, attemptedAgoMs, requestInFlight }) => {
      const cached = token(expiresInMs, refreshInMs)
      const verdict = cacheVerdict(
        {
          cached,
          lastAttemptAt: attemptedAgoMs === undefined ? undefined : NOW - attemptedAgoMs,
          requestInFlight,
        },
        NOW,
      )
      if (expiresInMs <= 0) expect(verdict).toBe('fetch')
      if (verdict === 'serve' || verdict === 'serve-and-refresh')
        expect(expiresInMs).toBeGreaterThan(EXPIRY_MARGIN_MS)
      if (verdict === 'serve-stale') expect(attemptedAgoMs).toBeLessThan(REFRESH_INTERVAL_MS)
      if (verdict === 'serve-and-refresh') expect(requestInFlight).toBe(false)
    }),
  )
})

test('past the refresh time: refresh once, then not again within 30 s', () => {
  const cached = token(10 * 3_600_000, -1)
  expect(cacheVerdict({ cached, lastAttemptAt: undefined, requestInFlight: false }, NOW)).toBe(
    'serve-and-refresh',
  )
  expect(cacheVerdict({ cached, lastAttemptAt: NOW - 1000, requestInFlight: false }, NOW)).toBe('serve')
  expect(
    cacheVerdict({ cached, lastAttemptAt: NOW - REFRESH_INTERVAL_MS, requestInFlight: false }, NOW),
  ).toBe('serve-and-refresh')
})

test('the fallback after a failure is the cached token until it expires, never after an abort', () => {
  const error = timeout({ message: 'slow' })
  expect(fallbackAfterFailure(token(60_000), error, NOW)).toMatchObject({ token: 't' })
  expect(fallbackAfterFailure(token(-1), error, NOW)).toBeUndefined()
  expect(
    fallbackAfterFailure(token(60_000), { ...error, _tag: 'Aborted', code: 'aborted' } as never, NOW),
  ).toBeUndefined()
})
