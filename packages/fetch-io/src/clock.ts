/**
 * Time and chance for the core: `now`, `sleep` and `random` over the web-standard globals.
 *
 * Each global is looked up when called, not when this module loads, so a runtime or test that
 * installs its own clock later is honoured. On Cloudflare Workers `Date.now()` stands still
 * between I/O events (a Spectre mitigation); that is fine here, because the core only compares
 * times across awaited requests and sleeps.
 *
 * @see https://developers.cloudflare.com/workers/reference/security-model/
 * @since 0.1.0
 */
import type { AbortSignalLike } from '@azmi/core'

/** Milliseconds since the epoch, from `Date.now()`. */
export const now = (): number => Date.now()

/** A uniform draw in [0, 1), from `Math.random()`; it only spreads retry jitter, so no CSPRNG is needed. */
export const random = (): number => Math.random()

/**
 * Resolve after `ms` milliseconds, or at once when `signal` aborts (or already has). Never
 * rejects: the core looks at the signal itself to learn that it was aborted. The timer and the
 * listener are both removed whichever way it ends.
 */
export const sleep = (ms: number, signal: AbortSignalLike | undefined): Promise<void> =>
  new Promise<void>((resolve) => {
    if (signal?.aborted === true) {
      resolve()
      return
    }
    const wake = (): void => {
      clearTimeout(timer)
      signal?.removeEventListener('abort', wake)
      resolve()
    }
    const timer = setTimeout(wake, ms)
    signal?.addEventListener('abort', wake, { once: true })
  })
