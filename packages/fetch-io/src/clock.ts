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
import { sleepOver } from '@azmi/core'

/** Milliseconds since the epoch, from `Date.now()`. */
export const now = (): number => Date.now()

/** A uniform draw in [0, 1), from `Math.random()`; it only spreads retry jitter, so no CSPRNG is needed. */
export const random = (): number => Math.random()

/** Stop a timer from keeping the process alive: `unref()` on Node and Bun, `Deno.unrefTimer` on Deno. */
export const unrefTimer = (handle: unknown): void => {
  const timer = handle as { unref?: () => void }
  if (typeof timer?.unref === 'function') timer.unref()
  else (globalThis as { Deno?: { unrefTimer?: (id: unknown) => void } }).Deno?.unrefTimer?.(handle)
}

/**
 * Resolve after `ms` milliseconds, or at once when `signal` aborts (or already has); never
 * rejects. The core's `sleepOver`: it sleeps any length in pieces a timer can hold and, for
 * background work, unrefs its timer where the runtime can.
 */
export const sleep = sleepOver<ReturnType<typeof setTimeout>>({
  set: (callback, ms) => setTimeout(callback, ms),
  clear: (handle) => clearTimeout(handle),
  unref: unrefTimer,
})
