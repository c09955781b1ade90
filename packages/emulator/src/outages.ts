/**
 * Outages: time-based faults. While one lasts, every token request to its environment gets
 * the outage's status; afterwards behaviour is normal again. Used for IMDS's "410 episodes"
 * (`docs/protocol.md §2.8`, the 410 rule: back within 70 s) and 429 storms.
 *
 * @module
 */
import type { EnvironmentName, Outage } from './model.js'
import { oauthError, overridden, type Reply } from './reply.js'

/** The outage of each environment, if any. */
export interface Outages {
  /** Starts (or replaces) an outage; throws a `RangeError` for one that cannot be. */
  start(environment: EnvironmentName, outage: Outage): void
  end(environment: EnvironmentName): void
  /** The answer for a token request arriving now, or `undefined` when there is no outage now. */
  meet(environment: EnvironmentName): Reply | undefined
}

interface Running {
  readonly outage: Outage
  /** `undefined` until the first request when the outage starts then. */
  startedAt: number | undefined
}

/** Why `outage` cannot be started, or `undefined` when it can. */
export const outageProblem = (outage: Outage): string | undefined => {
  if (!(Number.isSafeInteger(outage.status) && outage.status >= 100 && outage.status <= 999))
    return 'status must be 100-999'
  if (!(Number.isSafeInteger(outage.durationMs) && outage.durationMs >= 1))
    return 'durationMs must be a whole number ≥ 1'
  return undefined
}

const outageReply = (environment: EnvironmentName, outage: Outage): Reply =>
  overridden(
    oauthError(
      outage.status,
      'emulated_outage',
      `The emulated ${environment} endpoint is in an outage (${outage.status})`,
    ),
    outage,
  )

/** No outages; `now` is the clock (milliseconds). */
export const createOutages = (now: () => number): Outages => {
  const running = new Map<EnvironmentName, Running>()
  return {
    start(environment, outage) {
      const problem = outageProblem(outage)
      if (problem !== undefined)
        throw new RangeError(`Outage for ${environment} (${JSON.stringify(outage)}): ${problem}`)
      running.set(environment, { outage, startedAt: outage.from === 'first-request' ? undefined : now() })
    },
    end: (environment) => void running.delete(environment),
    meet(environment) {
      const entry = running.get(environment)
      if (entry === undefined) return undefined
      entry.startedAt ??= now()
      if (now() - entry.startedAt >= entry.outage.durationMs) {
        running.delete(environment)
        return undefined
      }
      return outageReply(environment, entry.outage)
    },
  }
}
