/**
 * A minimal abort signal the core can create itself (it has no `AbortController` global).
 *
 * Used for a request shared by several callers: it is cancelled only when every caller
 * waiting on it has given up. Shells receive it as an `AbortSignalLike`.
 *
 * @since 0.1.0
 */
import type { AbortSignalLike } from './capabilities.js'

export interface Cancellation {
  readonly signal: AbortSignalLike
  readonly cancel: (reason: string) => void
}

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
    addEventListener: (_type, listener) => {
      listeners.add(listener)
    },
    removeEventListener: (_type, listener) => {
      listeners.delete(listener)
    },
  }
  const cancel = (reason: string) => {
    if (state.aborted) return
    state.aborted = true
    state.reason = reason
    for (const listener of [...listeners]) listener()
    listeners.clear()
  }
  return { signal, cancel }
}

/** Resolve with `fallback()` as soon as `signal` aborts, else with `promise`'s value. */
export const raceAbort = <A>(
  promise: Promise<A>,
  signal: AbortSignalLike | undefined,
  fallback: () => A,
  onAbort: () => void,
): Promise<A> => {
  if (signal === undefined) return promise
  if (signal.aborted) {
    onAbort()
    return Promise.resolve(fallback())
  }
  return new Promise<A>((resolve) => {
    const abort = () => {
      onAbort()
      resolve(fallback())
    }
    signal.addEventListener('abort', abort, { once: true })
    void promise.then((value) => {
      signal.removeEventListener('abort', abort)
      resolve(value)
    })
  })
}
