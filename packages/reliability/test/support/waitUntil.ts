/**
 * Waiting for something a background task does, without a clock-based verdict: poll on
 * timers until `condition` holds. If it never does, the test's own timeout ends the wait.
 */
export const waitUntil = async (condition: () => boolean): Promise<void> => {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 2))
}

/** Let pending I/O and timers run once. */
export const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve))
