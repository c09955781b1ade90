/**
 * An abort signal a test controls, written against the core's `AbortSignalLike` so it needs
 * no DOM or Node types: the fake worlds stay free of globals, and a test can abort a call at
 * exactly the step it wants.
 *
 * @since 0.1.0
 */
import { type AbortSignalLike, createCancellation } from '@azmi/core'

/** A signal and the function that aborts it. */
export interface ControllableSignal {
  /** Pass it as `abortSignal` (to `getToken`) or as a capability's `signal`. */
  readonly signal: AbortSignalLike
  /** Abort the signal: `aborted` turns true and every listener is called once. Later calls do nothing. */
  readonly abort: (reason?: unknown) => void
}

/** A fresh signal that aborts only when `abort` is called (the core's own cancellation). */
export const controllableSignal = (): ControllableSignal => {
  const { signal, cancel } = createCancellation()
  return { signal, abort: (reason: unknown = 'aborted by the test') => cancel(reason) }
}
