/**
 * The IMDS concurrency limiter (docs/protocol.md §5.1): first in, first out, at most N in
 * flight, a waiter that aborts leaves the queue; and the interpreter waits on it for IMDS only.
 */
import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import { createCancellation } from '../src/cancellation.js'
import {
  createConcurrencyLimiter,
  createLimiterRegistry,
  createManagedIdentityClient,
  type HttpRequest,
  imdsPacing,
} from '../src/index.js'
import { fakeWorld, json } from './fakes.js'

const SCOPES = Array.from({ length: 12 }, (_, index) => `https://r${index}.example/.default`)

describe('createConcurrencyLimiter', () => {
  test('at most N in flight, whatever order the holders release in', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 6 }),
        fc.array(fc.nat(), { minLength: 1, maxLength: 30 }),
        async (max, order) => {
          const limiter = createConcurrencyLimiter(max)
          let inFlight = 0
          let peak = 0
          const holders = order.map(async (delay) => {
            const release = await limiter.acquire(undefined)
            inFlight += 1
            peak = Math.max(peak, inFlight)
            for (let tick = 0; tick < delay % 5; tick += 1) await Promise.resolve()
            inFlight -= 1
            release?.()
          })
          await Promise.all(holders)
          expect(peak).toBeLessThanOrEqual(max)
        },
      ),
    )
  })

  test('waiters are served first in, first out; one that aborts leaves the queue', async () => {
    const limiter = createConcurrencyLimiter(1)
    const first = await limiter.acquire(undefined)
    const served: Array<string> = []
    const leaving = createCancellation()
    const second = limiter
      .acquire(leaving.signal)
      .then((release) => served.push(release === undefined ? 'left' : 'second'))
    const third = limiter.acquire(undefined).then((release) => {
      served.push('third')
      release?.()
    })
    leaving.cancel('gave up')
    first?.()
    await Promise.all([second, third])
    expect(served).toEqual(['left', 'third'])
  })

  test('releasing twice gives back one slot', async () => {
    const limiter = createConcurrencyLimiter(1)
    const release = await limiter.acquire(undefined)
    release?.()
    release?.()
    const a = await limiter.acquire(undefined)
    let bGranted = false
    void limiter.acquire(undefined).then(() => {
      bGranted = true
    })
    await Promise.resolve()
    expect(bGranted).toBe(false)
    a?.()
  })
})

/** A pacing clock that moves only when the test says; waits resolve once it has passed them. */
const manualClock = () => {
  let time = 0
  const waits: Array<{ readonly until: number; readonly resolve: () => void }> = []
  return {
    now: () => time,
    wait: (ms: number) => new Promise<void>((resolve) => waits.push({ until: time + ms, resolve })),
    sleepUntil: (until: number) => new Promise<void>((resolve) => waits.push({ until, resolve })),
    advanceTo: async (to: number) => {
      time = to
      for (const due of waits.filter((entry) => entry.until <= to)) {
        waits.splice(waits.indexOf(due), 1)
        due.resolve()
      }
      for (let tick = 0; tick < 10; tick += 1) await Promise.resolve()
    },
  }
}

describe('pacing (the shells: 18 starts a second)', () => {
  test('starts are at least 56 ms apart, so no second holds more than 18, and concurrency still holds', async () => {
    const clock = manualClock()
    const pacing = imdsPacing(clock)
    expect(pacing.minGapMs).toBe(56)
    const limiter = createConcurrencyLimiter(5, pacing)
    const starts: number[] = []
    let inFlight = 0
    let peak = 0
    const holders = Array.from({ length: 40 }, async (_, index) => {
      const release = await limiter.acquire(undefined)
      starts.push(clock.now())
      inFlight += 1
      peak = Math.max(peak, inFlight)
      // every third holder keeps its slot for 400 ms of the clock
      if (index % 3 === 0) await clock.sleepUntil(clock.now() + 400)
      inFlight -= 1
      release?.()
    })
    for (let at = 0; at <= 4000; at += 1) await clock.advanceTo(at)
    await Promise.all(holders)
    expect(starts).toHaveLength(40)
    for (const [index, start] of starts.entries()) {
      if (index > 0) expect(start - (starts[index - 1] ?? 0)).toBeGreaterThanOrEqual(56)
      expect(starts.filter((other) => other >= start && other < start + 1000).length).toBeLessThanOrEqual(18)
    }
    expect(peak).toBeLessThanOrEqual(5)
  })

  test('a waiter that aborts while the pace holds it back leaves the queue', async () => {
    const clock = manualClock()
    const limiter = createConcurrencyLimiter(5, imdsPacing(clock))
    await limiter.acquire(undefined)
    const cancellation = createCancellation()
    const held = limiter.acquire(cancellation.signal)
    cancellation.cancel('gave up')
    await expect(held).resolves.toBeUndefined()
    const next = limiter.acquire(undefined)
    await clock.advanceTo(56)
    await expect(next).resolves.toBeTypeOf('function')
  })

  test('the registry paces when given a clock, and not without one', async () => {
    const clock = manualClock()
    for (const [limiter, grantedAtOnce] of [
      [createLimiterRegistry(clock)(5), false],
      [createLimiterRegistry()(5), true],
    ] as const) {
      await limiter.acquire(undefined)
      let granted = false
      void limiter.acquire(undefined).then(() => {
        granted = true
      })
      for (let tick = 0; tick < 10; tick += 1) await Promise.resolve()
      expect(granted).toBe(grantedAtOnce)
    }
  })
})

describe('the interpreter waits on the limiter for IMDS', () => {
  const held = async (env: Record<string, string>, max: number) => {
    let inFlight = 0
    let peak = 0
    const world = fakeWorld({
      imdsLimiter: createConcurrencyLimiter(max),
      respond: async (_request: HttpRequest) => {
        inFlight += 1
        peak = Math.max(peak, inFlight)
        await new Promise((resolve) => setImmediate(resolve))
        inFlight -= 1
        return json(200, { access_token: 'at', expires_in: 3600 })
      },
    })
    const client = createManagedIdentityClient({ env }, world.capabilities)
    const results = await Promise.all(SCOPES.map((scope) => client.getToken(scope)))
    return { peak, results }
  }

  test('12 cold scopes at once: never more than 5 requests in flight to IMDS', async () => {
    const { peak, results } = await held({}, 5)
    expect(peak).toBe(5)
    expect(results.every((result) => result._tag === 'Right')).toBe(true)
  })

  test('other sources are not limited by it', async () => {
    const { peak } = await held({ IDENTITY_ENDPOINT: 'http://127.0.0.1:1/as', IDENTITY_HEADER: 'header' }, 1)
    expect(peak).toBe(SCOPES.length)
  })
})
