/**
 * A `sleep` over a runtime's timer functions, written once for every shell: it wakes early
 * when the signal aborts, never rejects, leaves no timer or listener behind, survives delays
 * longer than a runtime's timer can hold (Node turns anything above 2³¹−1 ms into 1 ms, which
 * once made a 35-day `Retry-After` fire at once), and does not keep the host alive for
 * background work (docs/protocol.md §5).
 *
 * @since 0.2.0
 */
import type { AbortSignalLike, CallHints } from './capabilities.js'

/** The timer functions of a runtime. */
export interface TimerFunctions<Handle> {
  /**
   * Start a timer that calls `callback` after `ms` (at most 2³¹−1) milliseconds: the
   * runtime's `setTimeout`.
   */
  readonly set: (callback: () => void, ms: number) => Handle
  /** Cancel a timer `set` started: `clearTimeout`. */
  readonly clear: (handle: Handle) => void
  /** Stop `handle` from keeping the process alive, where the runtime can. */
  readonly unref?: (handle: Handle) => void
}

/** The longest delay a JavaScript timer holds: longer waits are slept in pieces. */
export const LONGEST_TIMER_MS = 2_147_483_647

/** A `sleep(ms, signal, hints)` capability over `timers`. */
export const sleepOver =
  <Handle>(timers: TimerFunctions<Handle>) =>
  (ms: number, signal: AbortSignalLike | undefined, hints?: CallHints): Promise<void> =>
    new Promise((resolve) => {
      if (signal?.aborted === true) return resolve()
      let left = Number.isNaN(ms) ? 0 : Math.max(0, ms)
      let handle: Handle | undefined
      const wake = (): void => {
        if (handle !== undefined) timers.clear(handle)
        signal?.removeEventListener('abort', wake)
        resolve()
      }
      const arm = (): void => {
        const piece = Math.min(left, LONGEST_TIMER_MS)
        left -= piece
        handle = timers.set(left > 0 ? arm : wake, piece)
        if (hints?.background === true) timers.unref?.(handle)
      }
      signal?.addEventListener('abort', wake, { once: true })
      arm()
    })
