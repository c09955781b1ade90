/**
 * Calling code the caller supplied (a logger, a tracer) without letting it break a token call
 * (docs/protocol.md §6): whatever a hook throws, or a promise it returns rejects with, is
 * dropped, and the call goes on as if the hook had succeeded.
 *
 * @since 0.2.0
 */

const isThenable = (value: unknown): value is PromiseLike<unknown> =>
  typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function'

/**
 * Call `hook` with `args` if it is a function; return what it returned, or `fallback` when it
 * threw. A returned promise that rejects is handled, so it can never become an unhandled rejection.
 */
export const callHook = <A extends ReadonlyArray<unknown>, R>(
  hook: ((...args: A) => R) | undefined,
  args: A,
  fallback: R,
): R => {
  if (typeof hook !== 'function') return fallback
  try {
    const result = hook(...args)
    if (isThenable(result)) result.then(undefined, () => undefined)
    return result
  } catch {
    return fallback
  }
}

/**
 * Call `target[name](...args)` when it is a method, isolated like {@link callHook}: a missing
 * method, a throwing getter or a throwing method gives `undefined`.
 */
export const callMethod = (target: unknown, name: string, args: ReadonlyArray<unknown>): unknown => {
  try {
    const method = (target as Record<string, unknown> | undefined)?.[name]
    if (typeof method !== 'function') return undefined
    const result: unknown = method.apply(target, args)
    if (isThenable(result)) result.then(undefined, () => undefined)
    return result
  } catch {
    return undefined
  }
}
