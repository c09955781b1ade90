/**
 * A minimal abort signal the core can create itself (it has no `AbortController` global), and
 * a race between a promise and a caller's signal.
 *
 * A run shared by several callers has a signal of its own, cancelled when every caller waiting
 * on it has given up. Shells receive it as an `AbortSignalLike`.
 *
 * @since 0.1.0
 */
import type { AbortSignalLike } from './capabilities.js'

/** A signal and the function that aborts it. */
export interface Cancellation {
  /** Hand it to whatever should stop when the run is cancelled. */
  readonly signal: AbortSignalLike
  /** Abort the signal: `aborted` turns true and each listener runs once. Later calls do nothing. */
  readonly cancel: (reason: unknown) => void
}

/** A fresh, not yet aborted signal. Listeners run once, in the order they were added. */
export const createCancellation = (): Cancellation => {
  const listeners = new Set<() => void>()
  const state: { aborted: boolean; reason: unknown } = { aborted: false, reason: undefined }
  const signal: AbortSignalLike = {
    get aborted() {
      return state.aborted
    },
    get reason() {
      return state.reason
    },
    // as with a real signal, a listener added after the abort never runs
    addEventListener: (_type, listener) => {
      if (!state.aborted) listeners.add(listener)
    },
    removeEventListener: (_type, listener) => {
      listeners.delete(listener)
    },
  }
  const cancel = (reason: unknown) => {
    if (state.aborted) return
    state.aborted = true
    state.reason = reason
    for (const listener of [...listeners]) listener()
    listeners.clear()
  }
  return { signal, cancel }
}

/**
 * `promise`'s outcome, unless `signal` aborts first: then `onAbort()` runs and the result is
 * `fallback()`. Whichever wins, the listener is removed and `promise` is observed, so neither a
 * late rejection nor a late abort can go unhandled.
 */
export const raceAbort = <A>(
  promise: Promise<A>,
  signal: AbortSignalLike | undefined,
  fallback: () => A,
  onAbort: () => void,
): Promise<A> => {
  if (signal === undefined) return promise
  if (signal.aborted) {
    promise.catch(() => undefined)
    onAbort()
    return Promise.resolve(fallback())
  }
  return new Promise<A>((resolve, reject) => {
    const abort = () => {
      onAbort()
      resolve(fallback())
    }
    signal.addEventListener('abort', abort, { once: true })
    promise.then(
      (value) => {
        signal.removeEventListener('abort', abort)
        resolve(value)
      },
      (error: unknown) => {
        signal.removeEventListener('abort', abort)
        reject(error)
      },
    )
  })
}
