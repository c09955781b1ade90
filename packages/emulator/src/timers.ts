/**
 * Timers that a fault schedules (delays, trickled chunks), kept in one place so that
 * `close()` can clear them all and let the process exit.
 *
 * @module
 */

/** Schedules callbacks and can cancel all that have not run yet. */
export interface Timers {
  /** Runs `callback` after `ms` milliseconds unless `clearAll` comes first. */
  after(ms: number, callback: () => void): void
  /** Cancels every pending callback; later `after` calls are ignored. */
  clearAll(): void
}

/** A fresh set of timers. */
export const createTimers = (): Timers => {
  const pending = new Set<NodeJS.Timeout>()
  let cleared = false
  return {
    after(ms, callback) {
      if (cleared) return
      const timer = setTimeout(() => {
        pending.delete(timer)
        callback()
      }, ms)
      pending.add(timer)
    },
    clearAll() {
      cleared = true
      for (const timer of pending) clearTimeout(timer)
      pending.clear()
    },
  }
}
