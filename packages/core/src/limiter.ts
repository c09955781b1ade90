/**
 * A first-in, first-out limit on requests in flight, as a capability (docs/protocol.md §5.1):
 * IMDS allows 5 concurrent managed-identity requests per VM, so every credential of a process
 * that uses IMDS shares one limiter. A shell keeps one per process; a host may pass its own (one
 * shared between processes, say) through the same interface.
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

interface Waiter {
  readonly grant: (release: Release) => void
}

/**
 * Limiters memoised by their limit, for a shell to keep one per process (docs/protocol.md §5.1):
 * every credential that asks for the same limit gets the same limiter.
 */
export const createLimiterRegistry = (): ((max?: number) => ConcurrencyLimiter) => {
  const limiters = new Map<number, ConcurrencyLimiter>()
  return (max = IMDS_MAX_CONCURRENT_REQUESTS) => {
    const existing = limiters.get(max)
    if (existing !== undefined) return existing
    const limiter = createConcurrencyLimiter(max)
    limiters.set(max, limiter)
    return limiter
  }
}

/** A limiter allowing `max` (at least 1) requests in flight at once. */
export const createConcurrencyLimiter = (max: number = IMDS_MAX_CONCURRENT_REQUESTS): ConcurrencyLimiter => {
  const limit = Math.max(1, Math.floor(max))
  const waiting: Array<Waiter> = []
  let inFlight = 0
  const release = (): Release => {
    let released = false
    return () => {
      if (released) return
      released = true
      const next = waiting.shift()
      if (next === undefined) inFlight -= 1
      else next.grant(release())
    }
  }
  const acquire = (signal: AbortSignalLike | undefined): Promise<Release | undefined> => {
    if (signal?.aborted === true) return Promise.resolve(undefined)
    if (inFlight < limit) {
      inFlight += 1
      return Promise.resolve(release())
    }
    return new Promise((resolve) => {
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
    })
  }
  return { acquire }
}
