/**
 * A first-in, first-out limit on requests in flight, as a capability (docs/protocol.md §5.1):
 * IMDS allows 5 concurrent managed-identity requests per VM, so every credential of a process
 * that uses IMDS shares one limiter. A shell keeps one per process, paced to 18 starts a second
 * as well (IMDS allows 20); a host may pass its own (one shared between processes, say)
 * through the same interface.
 *
 * @see https://learn.microsoft.com/azure/virtual-machines/instance-metadata-service#rate-limiting
 * @since 0.2.0
 */
import type { AbortSignalLike } from './capabilities.js'

/** Gives a slot back; calling it more than once gives back one slot. */
export type Release = () => void

/** Requests in flight, at most so many at once; waiters are served first in, first out. */
export interface ConcurrencyLimiter {
  /**
   * Wait for a slot. Resolves with the function that gives it back, or with `undefined` when
   * `signal` aborts first (the waiter then leaves the queue at once). Never rejects.
   */
  readonly acquire: (signal: AbortSignalLike | undefined) => Promise<Release | undefined>
}

/** The IMDS limit: 5 concurrent managed-identity requests per VM. */
export const IMDS_MAX_CONCURRENT_REQUESTS = 5

/**
 * Starts per second a shell's IMDS limiter allows: 10% under IMDS's documented 20, so that
 * arrival jitter at the endpoint cannot push a burst over its one-second window.
 */
export const IMDS_PACED_REQUESTS_PER_SECOND = 18

/** The clock a paced limiter reads and waits on. */
export interface PacingClock {
  /** Milliseconds, from any origin. */
  readonly now: () => number
  /** Resolves after `ms`; it must not keep the process alive (an unref'd timer). */
  readonly wait: (ms: number) => Promise<void>
}

/**
 * How a limiter keeps to a rate as well as a concurrency: no two requests start closer together
 * than `minGapMs`, so no window of one second holds more than `ceil(1000 / minGapMs)` starts.
 */
export interface LimiterPacing extends PacingClock {
  /** The shortest time between two starts, in milliseconds. */
  readonly minGapMs: number
}

/** The pacing that keeps a limiter within {@link IMDS_PACED_REQUESTS_PER_SECOND} (one start per 56 ms). */
export const imdsPacing = (clock: PacingClock): LimiterPacing => ({
  ...clock,
  minGapMs: Math.ceil(1000 / IMDS_PACED_REQUESTS_PER_SECOND),
})

interface Waiter {
  readonly grant: (release: Release) => void
}

/**
 * Limiters memoised by their limit, for a shell to keep one per process (docs/protocol.md §5.1):
 * every credential that asks for the same limit gets the same limiter. With a `clock`, each is
 * paced to {@link IMDS_PACED_REQUESTS_PER_SECOND} as well.
 */
export const createLimiterRegistry = (clock?: PacingClock): ((max?: number) => ConcurrencyLimiter) => {
  const limiters = new Map<number, ConcurrencyLimiter>()
  return (max = IMDS_MAX_CONCURRENT_REQUESTS) => {
    const existing = limiters.get(max)
    if (existing !== undefined) return existing
    const limiter = createConcurrencyLimiter(max, clock === undefined ? undefined : imdsPacing(clock))
    limiters.set(max, limiter)
    return limiter
  }
}

/** When the next start may happen, by `pacing`: always at once without one. */
const startGate = (pacing: LimiterPacing | undefined) => {
  let nextStartAt = Number.NEGATIVE_INFINITY
  let waiting = false
  return {
    /** Milliseconds until a start is allowed (bounded by the gap, so a clock stepping back cannot stall it). */
    early: (): number => (pacing === undefined ? 0 : Math.min(pacing.minGapMs, nextStartAt - pacing.now())),
    started: (): void => {
      if (pacing !== undefined) nextStartAt = pacing.now() + pacing.minGapMs
    },
    /** Call `resume` once the gate opens; one wait at a time. */
    waitThen: (ms: number, resume: () => void): void => {
      if (pacing === undefined || waiting) return
      waiting = true
      const wake = () => {
        waiting = false
        resume()
      }
      pacing.wait(ms).then(wake, wake)
    },
  }
}

/** A place in `waiting` for a caller, left at once if `signal` aborts. */
const enqueue = (
  waiting: Array<Waiter>,
  signal: AbortSignalLike | undefined,
  resolve: (granted: Release | undefined) => void,
): void => {
  const onAbort = () => {
    const index = waiting.indexOf(waiter)
    if (index >= 0) waiting.splice(index, 1)
    resolve(undefined)
  }
  const waiter: Waiter = {
    grant: (granted) => {
      signal?.removeEventListener('abort', onAbort)
      resolve(granted)
    },
  }
  waiting.push(waiter)
  signal?.addEventListener('abort', onAbort, { once: true })
}

/**
 * A limiter allowing `max` (at least 1) requests in flight at once and, with `pacing`, no two
 * starts closer together than `pacing.minGapMs`.
 */
export const createConcurrencyLimiter = (
  max: number = IMDS_MAX_CONCURRENT_REQUESTS,
  pacing?: LimiterPacing,
): ConcurrencyLimiter => {
  const limit = Math.max(1, Math.floor(max))
  const waiting: Array<Waiter> = []
  const gate = startGate(pacing)
  let inFlight = 0
  // Grant slots to waiters in order while there are slots and the pace allows.
  const pump = (): void => {
    while (waiting.length > 0 && inFlight < limit) {
      const early = gate.early()
      if (early > 0) {
        gate.waitThen(early, pump)
        return
      }
      const next = waiting.shift() as Waiter
      inFlight += 1
      gate.started()
      next.grant(release())
    }
  }
  const release = (): Release => {
    let released = false
    return () => {
      if (released) return
      released = true
      inFlight -= 1
      pump()
    }
  }
  const acquire = (signal: AbortSignalLike | undefined): Promise<Release | undefined> => {
    if (signal?.aborted === true) return Promise.resolve(undefined)
    return new Promise((resolve) => {
      enqueue(waiting, signal, resolve)
      pump()
    })
  }
  return { acquire }
}
