import { describe, expect, test } from 'vitest'
import { createImdsLimiter } from '../src/imdsLimiter.js'
import { type Emulator, type ImdsLimits, startEmulator } from '../src/index.js'
import { jsonBody, send, type TestReply } from './httpClient.js'

const tokenUrl = (emulator: Emulator, query = 'resource=x') =>
  `${emulator.env('Imds').AZURE_POD_IDENTITY_AUTHORITY_HOST}/metadata/identity/oauth2/token?api-version=2018-02-01&${query}`

/** Starts a request that may never be answered before `close()`; resolves with its reply or error code. */
const fire = (emulator: Emulator): Promise<TestReply | string> =>
  send({ url: tokenUrl(emulator), headers: { Metadata: 'true' } }).catch(
    (error: NodeJS.ErrnoException) => error.code ?? 'error',
  )

const until = async (condition: () => boolean): Promise<void> => {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 5))
}

describe('IMDS limits over sockets', () => {
  test('a request beyond 5 in flight gets a 429 with a JSON error and Retry-After; the peak counts it', async () => {
    const emulator = await startEmulator({
      imdsLimits: { requestsPerSecond: 20, concurrent: 5 },
      imdsLatencyMs: 60_000,
    })
    try {
      const held = Array.from({ length: 5 }, () => fire(emulator))
      await until(() => emulator.stats('Imds').inFlight === 5)
      const sixth = await send({ url: tokenUrl(emulator), headers: { Metadata: 'true' } })
      expect(sixth.status).toBe(429)
      expect(sixth.headers['retry-after']).toBe('1')
      expect(jsonBody(sixth)).toMatchObject({ error: 'too_many_requests' })
      expect(emulator.stats('Imds')).toEqual({
        tokenRequests: 6,
        inFlight: 5,
        peakConcurrent: 6,
        throttled: 1,
        outageReplies: 0,
      })
      await emulator.close()
      expect(await Promise.all(held)).toEqual(Array(5).fill('ECONNRESET'))
    } finally {
      await emulator.close()
    }
  })

  test('setImdsLimits turns the limits on and off at run time; latency holds answers open', async () => {
    const emulator = await startEmulator()
    try {
      emulator.setImdsLatency(60_000)
      const held = fire(emulator)
      await until(() => emulator.stats('Imds').inFlight === 1)
      emulator.setImdsLatency(0)
      emulator.setImdsLimits({ requestsPerSecond: 20, concurrent: 1, retryAfterSeconds: 7 })
      // The held request was admitted before the limits existed: it does not count.
      expect((await send({ url: tokenUrl(emulator), headers: { Metadata: 'true' } })).status).toBe(200)
      emulator.setImdsLimits(undefined)
      expect((await send({ url: tokenUrl(emulator), headers: { Metadata: 'true' } })).status).toBe(200)
      expect(emulator.stats('Imds')).toMatchObject({ tokenRequests: 3, peakConcurrent: 2, throttled: 0 })
      await emulator.close()
      expect(await held).toBe('ECONNRESET')
    } finally {
      await emulator.close()
    }
  })

  test('resetStats starts the counts again, keeping what is open', async () => {
    const emulator = await startEmulator({ imdsLatencyMs: 60_000 })
    try {
      const held = fire(emulator)
      await until(() => emulator.stats('Imds').inFlight === 1)
      emulator.resetStats()
      expect(emulator.stats('Imds')).toEqual({
        tokenRequests: 0,
        inFlight: 1,
        peakConcurrent: 1,
        throttled: 0,
        outageReplies: 0,
      })
      expect(emulator.stats('AppService').tokenRequests).toBe(0)
      expect(() => emulator.stats('Nowhere' as never)).toThrow(RangeError)
      await emulator.close()
      await held
      expect(emulator.stats('Imds').inFlight).toBe(0)
    } finally {
      await emulator.close()
    }
  })

  test.each<[string, ImdsLimits]>([
    ['zero concurrency', { requestsPerSecond: 20, concurrent: 0 }],
    ['a fractional rate', { requestsPerSecond: 2.5, concurrent: 5 }],
    ['a negative Retry-After', { requestsPerSecond: 20, concurrent: 5, retryAfterSeconds: -1 }],
  ])('rejects %s with a RangeError, at start and at run time', async (_case, limits) => {
    await expect(startEmulator({ imdsLimits: limits })).rejects.toThrow(RangeError)
    const emulator = await startEmulator()
    try {
      expect(() => emulator.setImdsLimits(limits)).toThrow(RangeError)
      expect(() => emulator.setImdsLatency(-1)).toThrow(RangeError)
    } finally {
      await emulator.close()
    }
  })
})

describe('the limiter', () => {
  const limiterAt = (limits: ImdsLimits) => {
    const clock = { now: 0 }
    return { clock, limiter: createImdsLimiter(limits, () => clock.now) }
  }

  test('serves at most requestsPerSecond in any one-second window', () => {
    const { clock, limiter } = limiterAt({ requestsPerSecond: 20, concurrent: 100 })
    const first = Array.from({ length: 25 }, () => limiter.admit())
    expect(first.filter((each) => each._tag === 'admitted')).toHaveLength(20)
    for (const each of first) if (each._tag === 'admitted') each.release()
    clock.now = 999
    expect(limiter.admit()._tag).toBe('throttled')
    clock.now = 1000
    expect(limiter.admit()._tag).toBe('admitted')
  })

  test('serves at most `concurrent` at once; a release frees a place; a second release is ignored', () => {
    const { limiter } = limiterAt({ requestsPerSecond: 100, concurrent: 2 })
    const [a, b] = [limiter.admit(), limiter.admit()]
    expect(limiter.admit()._tag).toBe('throttled')
    if (a._tag !== 'admitted' || b._tag !== 'admitted') throw new Error('expected two admissions')
    a.release()
    a.release()
    expect(limiter.admit()._tag).toBe('admitted')
    expect(limiter.admit()._tag).toBe('throttled')
  })

  test('throttled requests do not count towards the rate', () => {
    const { limiter } = limiterAt({ requestsPerSecond: 2, concurrent: 1 })
    const held = limiter.admit()
    for (let index = 0; index < 10; index += 1) expect(limiter.admit()._tag).toBe('throttled')
    if (held._tag === 'admitted') held.release()
    expect(limiter.admit()._tag).toBe('admitted')
  })
})
