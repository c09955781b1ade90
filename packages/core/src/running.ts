/**
 * A run of a plan under way, as the interpreter's step runners see it: the run's context and
 * deadline, what it has learned so far, and the guards every step shares — the watchdog that
 * bounds a capability's call by the deadline, and the isolated logger.
 *
 * @since 0.2.0
 */

import { createCancellation } from './cancellation.js'
import type { CallHints, LogEvent } from './capabilities.js'
import { type ManagedIdentityError, timeout } from './errors.js'
import { callHook } from './hooks.js'
import type { RunContext, RunReport } from './interpret.js'
import type { Plan } from './plan.js'

/** What a run has learned so far: everything of its report but the ending. */
export type Progress = Omit<RunReport<never>, 'result'>

/** A run under way: its context and the epoch milliseconds by which it must end. */
export interface Running extends RunContext {
  readonly deadline: number
}

/** The next plan to run, and the progress made. */
export interface Progressed<A> {
  readonly plan: Plan<A>
  readonly progress: Progress
}

/**
 * `work`, unless `ms` pass (or the caller aborts) first: then `undefined`. The watchdog's
 * timer is cancelled as soon as either side wins.
 */
export const beforeTimeout = async <T>(
  context: Running,
  ms: number,
  work: Promise<T>,
): Promise<T | undefined> => {
  const { sleep, timer = sleep } = context.capabilities
  const stop = createCancellation()
  const onAbort = () => stop.cancel('the caller aborted')
  context.signal?.addEventListener('abort', onAbort, { once: true })
  try {
    const watchdog = timer(Math.max(0, ms), stop.signal, hintsOf(context)).then(() => undefined)
    return await Promise.race([work, watchdog])
  } finally {
    stop.cancel('settled')
    context.signal?.removeEventListener('abort', onAbort)
  }
}

/** The hints every capability call of this run carries. */
export const hintsOf = (context: Running): CallHints | undefined =>
  context.background === true ? { background: true } : undefined

/** The error of a run whose deadline passed. */
export const outOfTime = (context: Running): ManagedIdentityError =>
  timeout({
    source: context.source,
    message:
      'The token request ran out of time (the overall deadline passed). Raise the timeout or check the endpoint.',
  })

/** Report `event` to the caller's logger, if any; a throwing logger is ignored (docs/protocol.md §6). */
export const log = (context: Running, event: LogEvent): void =>
  callHook(context.capabilities.log, [event], undefined)
