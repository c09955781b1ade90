/**
 * Counts of token requests per environment, for tests and benchmarks: how many arrived, how
 * many are open, the most that were open at once, and how many the limiter or an outage
 * answered.
 *
 * @module
 */
import { type EnvironmentName, type EnvironmentStats, environmentNames } from './model.js'

/** Mutable counters behind `emulator.stats`. */
export interface RequestStats {
  /** A token request arrived; returns the call to make when its answer is finished. */
  opened(environment: EnvironmentName): () => void
  throttled(environment: EnvironmentName): void
  outageReply(environment: EnvironmentName): void
  get(environment: EnvironmentName): EnvironmentStats
  /** Zeroes one environment's counts, or every environment's; the peak restarts at what is open now. */
  reset(environment?: EnvironmentName): void
}

type Counts = { -readonly [Key in keyof EnvironmentStats]: EnvironmentStats[Key] }

const zero = (inFlight: number): Counts => ({
  tokenRequests: 0,
  inFlight,
  peakConcurrent: inFlight,
  throttled: 0,
  outageReplies: 0,
})

/** Counters at zero for every environment. */
export const createRequestStats = (): RequestStats => {
  const counts = new Map<EnvironmentName, Counts>(environmentNames.map((name) => [name, zero(0)]))
  const of = (environment: EnvironmentName): Counts => {
    const found = counts.get(environment) ?? zero(0)
    counts.set(environment, found)
    return found
  }
  return {
    opened(environment) {
      const entry = of(environment)
      entry.tokenRequests += 1
      entry.inFlight += 1
      entry.peakConcurrent = Math.max(entry.peakConcurrent, entry.inFlight)
      let closed = false
      return () => {
        // The counts may have been reset since; a reset keeps inFlight, so this stays exact.
        if (closed) return
        closed = true
        of(environment).inFlight -= 1
      }
    },
    throttled(environment) {
      of(environment).throttled += 1
    },
    outageReply(environment) {
      of(environment).outageReplies += 1
    },
    get: (environment) => ({ ...of(environment) }),
    reset(environment) {
      const names = environment === undefined ? environmentNames : [environment]
      for (const name of names) counts.set(name, zero(of(name).inFlight))
    },
  }
}
