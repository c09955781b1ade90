/**
 * The scripted faults waiting for each environment, consumed one per token request.
 *
 * @module
 */
import { environmentByName } from './environments/all.js'
import { faultProblem } from './faultPlan.js'
import type { EnvironmentName, Fault } from './model.js'

/** Per-environment queues of faults. */
export interface FaultQueues {
  /** Replaces the environment's queue; throws a `RangeError` naming the first fault that cannot apply. */
  replace(environment: EnvironmentName, faults: ReadonlyArray<Fault>): void
  /** Takes the next fault for the environment, or `undefined` when none is left. */
  next(environment: EnvironmentName): Fault | undefined
}

/** Empty queues. */
export const createFaultQueues = (): FaultQueues => {
  const queues = new Map<EnvironmentName, Fault[]>()
  return {
    replace(environment, faults) {
      faults.forEach((fault, index) => {
        const problem = faultProblem(environmentByName(environment), fault)
        if (problem !== undefined)
          throw new RangeError(`Fault ${index} for ${environment} (${JSON.stringify(fault)}): ${problem}`)
      })
      queues.set(environment, [...faults])
    },
    next: (environment) => queues.get(environment)?.shift(),
  }
}
