/**
 * The `sleep` capability: a timer the caller can cut short.
 *
 * @since 0.1.0
 */
import type { AbortSignalLike } from '@azmi/core'

/**
 * Resolve after `ms` milliseconds, or as soon as `signal` aborts (at once if it already has).
 * Never rejects: the core checks the signal itself after waking. Whichever comes first, the
 * timer is cleared and the listener removed, so nothing outlives the wait.
 */
export const sleep = (ms: number, signal: AbortSignalLike | undefined): Promise<void> =>
  new Promise((resolve) => {
    if (signal?.aborted === true) return resolve()
    const wake = (): void => {
      clearTimeout(timer)
      signal?.removeEventListener('abort', wake)
      resolve()
    }
    const timer = setTimeout(wake, ms)
    signal?.addEventListener('abort', wake, { once: true })
  })
