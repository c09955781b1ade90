/**
 * Each source's retry schedule on the walker's clock (docs/protocol.md §2.8): what is retried,
 * how long each wait is, and the rules every schedule obeys — `Retry-After` raises a delay and
 * never lowers it, no retry comes sooner than 0.5 s, a 410 episode costs at most 8 requests.
 */
import * as E from 'fp-ts/lib/Either.js'
import { describe, expect, test } from 'vitest'
import { type HttpResponse, transportFailure } from '../src/index.js'
import { json } from './fakes.js'
import { walkFor } from './sources/plans.js'

const ENVIRONMENTS = {
  Imds: {},
  AppService: { IDENTITY_ENDPOINT: 'http://127.0.0.1:1/as', IDENTITY_HEADER: 'as-identity-header' },
  ServiceFabric: {
    IDENTITY_ENDPOINT: 'https://127.0.0.1:2/sf',
    IDENTITY_HEADER: 'sf-identity-header',
    IDENTITY_SERVER_THUMBPRINT: 'A'.repeat(40),
  },
  AzureML: { MSI_ENDPOINT: 'http://127.0.0.1:3/ml', MSI_SECRET: 'ml-secret-value' },
  CloudShell: { MSI_ENDPOINT: 'http://127.0.0.1:4/cs' },
} as const

type Named = keyof typeof ENVIRONMENTS
const token = E.right(json(200, { access_token: 'at', expires_in: 3600 }))
const status = (code: number, headers: Record<string, string> = {}) =>
  E.right<never, HttpResponse>(json(code, {}, headers))
const refused = E.left(transportFailure('connect', 'ECONNREFUSED'))

const walk = (
  name: Named,
  replies: ReadonlyArray<E.Either<ReturnType<typeof transportFailure>, HttpResponse>>,
  retry?: object,
) => walkFor(ENVIRONMENTS[name], { replies, random: 0.5, latencyMs: 5 }, retry === undefined ? {} : { retry })

const sends = (walked: ReturnType<typeof walk>) => walked.steps.filter((step) => step._tag === 'Send').length
const waits = (walked: ReturnType<typeof walk>) =>
  walked.steps.flatMap((step) => (step._tag === 'Wait' ? [Math.round(step.ms)] : []))

describe('what each source retries', () => {
  test.each<[Named, number, number]>([
    ['Imds', 404, 6],
    ['Imds', 503, 6],
    ['AppService', 503, 6],
    ['AppService', 404, 1],
    ['ServiceFabric', 429, 6],
    ['ServiceFabric', 503, 6],
    ['ServiceFabric', 404, 1],
    ['AzureML', 503, 4],
    ['AzureML', 404, 1],
    ['CloudShell', 502, 4],
  ])('%s: status %i is sent %i times in all', (name, code, times) => {
    expect(
      sends(
        walk(
          name,
          Array.from({ length: 20 }, () => status(code)),
        ),
      ),
    ).toBe(times)
  })

  test('App Service retries a refused connection (Container Apps may not listen yet)', () => {
    expect(sends(walk('AppService', [refused, refused, token]))).toBe(3)
  })

  test.each([404, 410])('App Service retries %i only when it carries Retry-After', (code) => {
    expect(sends(walk('AppService', [status(code, { 'retry-after': '2' }), token]))).toBe(2)
    expect(sends(walk('AppService', [status(code), token]))).toBe(1)
  })
})

describe('how long each wait is', () => {
  test('backoff from 0.8 s doubling, ±20 % jitter drawn by the interpreter', () => {
    expect(
      waits(
        walk(
          'Imds',
          Array.from({ length: 6 }, () => status(500)),
        ),
      ),
    ).toEqual([800, 1600, 3200, 6400, 12800])
  })

  test.each([
    ['0', 800],
    ['1', 1000],
    ['30', 30000],
  ])('Retry-After %s raises the first wait to %i ms and never lowers it', (value, ms) => {
    expect(waits(walk('Imds', [status(429, { 'retry-after': value }), token]))).toEqual([ms])
  })

  test('no retry sooner than 0.5 s after the failure, whatever the tuning', () => {
    const walked = walk('AppService', [status(503), status(503), token], { initialDelayMs: 1, maxDelayMs: 1 })
    expect(waits(walked)).toEqual([500, 500])
  })
})

describe("IMDS's 410: back within 70 s", () => {
  test.each([['0'], ['1'], [undefined]])(
    'with Retry-After %s: at most 8 requests, 10 s or more apart, over 70 s',
    (retryAfter) => {
      const gone = status(410, retryAfter === undefined ? {} : { 'retry-after': retryAfter })
      const walked = walk(
        'Imds',
        Array.from({ length: 30 }, () => gone),
      )
      expect(sends(walked)).toBeLessThanOrEqual(8)
      expect(Math.min(...waits(walked))).toBeGreaterThanOrEqual(10_000)
      expect(walked.elapsedMs).toBeGreaterThanOrEqual(70_000)
      expect(walked.result).toMatchObject({ left: { code: 'http_error', status: 410 } })
    },
  )

  test('a 410 episode that ends returns the token', () => {
    expect(walk('Imds', [status(410), status(410), token]).result).toMatchObject({ right: { token: 'at' } })
  })
})
