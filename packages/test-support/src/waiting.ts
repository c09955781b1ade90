/**
 * Waiting for something another party does (a server, a background refresh, a child
 * process) without a clock-based verdict: polling until a condition holds, letting the event
 * loop turn, and a promise a test resolves from elsewhere. None of them sets a limit of its
 * own: if what is awaited never happens, the test's own timeout reports it.
 */

/** Resolve once `condition()` holds, checking it every `intervalMs` (2 by default). */
export const waitUntil = async (condition: () => boolean, intervalMs = 2): Promise<void> => {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, intervalMs))
}

/** Let pending I/O callbacks and immediates run once (`turns` times). */
export const nextTurn = async (turns = 1): Promise<void> => {
  for (let turn = 0; turn < turns; turn += 1) await new Promise<void>((resolve) => setImmediate(resolve))
}

/** A promise with its resolver, for a test to wait on something a server or a fake does. */
export interface Signalled<T> {
  readonly promise: Promise<T>
  readonly resolve: (value: T) => void
}

/** A fresh {@link Signalled}. */
export const signalled = <T = void>(): Signalled<T> => {
  let resolve: (value: T) => void = () => undefined
  const promise = new Promise<T>((settle) => {
    resolve = settle
  })
  return { promise, resolve }
}
