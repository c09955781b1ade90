/**
 * What governs one token request, in this order: the environment's next scripted fault;
 * else its outage; else, for IMDS, the limiter; else the normal answer, after IMDS's latency.
 * Scripted faults win because they are the more specific instruction: a test that scripts
 * one request inside an outage gets that request as scripted.
 *
 * @module
 */
import { type Answers, type Delivery, planDelivery, sendNow } from './faultPlan.js'
import type { FaultQueues } from './faultQueues.js'
import { createImdsLimiter, type ImdsLimiter, limitsProblem } from './imdsLimiter.js'
import type { EnvironmentName, ImdsLimits } from './model.js'
import type { Outages } from './outages.js'
import type { RequestStats } from './requestStats.js'

/** The IMDS switches: limits and latency. */
export interface ImdsConditions {
  /** Replaces the limiter (counts start from zero), or removes it with `undefined`. */
  setLimits(limits: ImdsLimits | undefined): void
  setLatency(latencyMs: number): void
  limiter(): ImdsLimiter | undefined
  latencyMs(): number
}

/** Everything that may decide a token request's answer. */
export interface Conditions {
  readonly faults: FaultQueues
  readonly outages: Outages
  readonly stats: RequestStats
  readonly imds: ImdsConditions
}

const checkLatency = (latencyMs: number): void => {
  if (!(Number.isSafeInteger(latencyMs) && latencyMs >= 0))
    throw new RangeError(`imdsLatencyMs must be a whole number ≥ 0, got ${latencyMs}`)
}

/** IMDS switches as `startEmulator` options set them; `now` is the limiter's clock. */
export const createImdsConditions = (
  initial: { readonly limits?: ImdsLimits | undefined; readonly latencyMs?: number | undefined },
  now: () => number,
): ImdsConditions => {
  let limiter: ImdsLimiter | undefined
  let latencyMs = 0
  const conditions: ImdsConditions = {
    setLimits(limits) {
      const problem = limits === undefined ? undefined : limitsProblem(limits)
      if (problem !== undefined) throw new RangeError(`IMDS limits ${JSON.stringify(limits)}: ${problem}`)
      limiter = limits === undefined ? undefined : createImdsLimiter(limits, now)
    },
    setLatency(ms) {
      checkLatency(ms)
      latencyMs = ms
    },
    limiter: () => limiter,
    latencyMs: () => latencyMs,
  }
  conditions.setLimits(initial.limits)
  conditions.setLatency(initial.latencyMs ?? 0)
  return conditions
}

const planUnscripted = (
  conditions: Conditions,
  environment: EnvironmentName,
  answers: Answers,
): { delivery: Delivery; release?: () => void } => {
  const outage = conditions.outages.meet(environment)
  if (outage !== undefined) {
    conditions.stats.outageReply(environment)
    return { delivery: sendNow(outage) }
  }
  // Built before the limiter admits, so that nothing can fail between admitting and releasing.
  const normal = answers.normal()
  if (environment !== 'Imds') return { delivery: sendNow(normal) }
  const admission = conditions.imds.limiter()?.admit()
  if (admission?._tag === 'throttled') {
    conditions.stats.throttled(environment)
    return { delivery: sendNow(admission.reply) }
  }
  return {
    delivery: sendNow(normal, conditions.imds.latencyMs()),
    ...(admission === undefined ? {} : { release: admission.release }),
  }
}

/**
 * Counts the request, then decides its answer. `onFinished` receives, before anything can
 * fail, the call to make once the answer is finished or the client has gone.
 */
export const planTokenAnswer = (
  conditions: Conditions,
  environment: EnvironmentName,
  answers: Answers,
  onFinished: (finished: () => void) => void,
): Delivery => {
  const closed = conditions.stats.opened(environment)
  let release: (() => void) | undefined
  onFinished(() => {
    closed()
    release?.()
  })
  const fault = conditions.faults.next(environment)
  if (fault !== undefined) return planDelivery(fault, answers)
  const planned = planUnscripted(conditions, environment, answers)
  release = planned.release
  return planned.delivery
}
