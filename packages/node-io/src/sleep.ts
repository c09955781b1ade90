/**
 * The `sleep` capability over Node's timers: the core's `sleepOver`, which wakes early on
 * abort, sleeps any length (past the 2³¹−1 ms a Node timer holds) and, for background work,
 * unrefs its timer so it never keeps the process alive.
 *
 * @since 0.1.0
 */
import { sleepOver } from '@azmi/core'

/** Resolve after `ms` milliseconds, or as soon as `signal` aborts; never rejects. */
export const sleep = sleepOver<NodeJS.Timeout>({
  set: (callback, ms) => setTimeout(callback, ms),
  clear: (handle) => clearTimeout(handle),
  unref: (handle) => handle.unref(),
})
