/**
 * One attempt's deadline: the request's own timeout and the caller's `AbortSignal`, folded into
 * a single `AbortSignal` that the fetch and the body reader both watch.
 *
 * Built by hand rather than with `AbortSignal.any` / `AbortSignal.timeout`: those arrived late
 * (Node 20.3, Bun 1.1, workerd in 2024) and some fetch polyfills still lack them, while an
 * `AbortController` and `setTimeout` exist everywhere. Doing it ourselves also tells us *which*
 * of the two fired, which the combined signal's reason would only hint at. `@azmi/azure-pipeline`
 * uses the same deadline around an Azure pipeline's client.
 *
 * @since 0.1.0
 */
import { type AbortSignalLike, LONGEST_TIMER_MS } from '@azmi/core'
import type { Either } from 'fp-ts/lib/Either.js'
import { isLeft, left, right } from 'fp-ts/lib/Either.js'
import { unrefTimer } from '../clock.js'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/** Why an attempt was cut short: its `timeoutMs` ran out, or the caller aborted it. */
export type Interruption = 'timeout' | 'aborted'

/** One attempt's combined deadline, as started by {@link startAttemptDeadline}. */
export interface AttemptDeadline {
  /** Aborts when the deadline passes or the caller aborts; hand it to `fetch`. */
  readonly signal: AbortSignal
  /** Settles with the first interruption; never rejects. Lets a fetch that ignores `signal` lose a race. */
  readonly interrupted: Promise<Interruption>
  /** The interruption that happened, if any. Checked first when something fails. */
  readonly interruption: () => Interruption | undefined
  /** Stop the timer and detach from the caller's signal. Call it on every path out of an attempt. */
  readonly dispose: () => void
}

// -------------------------------------------------------------------------------------
// constructors
// -------------------------------------------------------------------------------------

/**
 * Start the clock for one attempt. The timer covers connect through the last body byte, so
 * it keeps running until `dispose` is called, not merely until the headers arrive.
 */
export const startAttemptDeadline = (
  timeoutMs: number,
  callerSignal: AbortSignalLike | undefined,
  background = false,
): AttemptDeadline => {
  const controller = new AbortController()
  let interruption: Interruption | undefined
  let settle: (why: Interruption) => void = () => undefined
  const interrupted = new Promise<Interruption>((resolve) => {
    settle = resolve
  })

  const interrupt = (why: Interruption): void => {
    if (interruption !== undefined) return
    interruption = why
    settle(why)
    controller.abort(abortReason(why, timeoutMs))
  }
  const onCallerAbort = (): void => interrupt('aborted')

  // a timer holds at most 2³¹−1 ms (longer fires at once); a longer timeout is that long
  const timer = setTimeout(() => interrupt('timeout'), Math.min(Math.max(0, timeoutMs), LONGEST_TIMER_MS))
  // background work (a refresh no caller waits on) must not keep the process alive
  if (background) unrefTimer(timer)
  callerSignal?.addEventListener('abort', onCallerAbort, { once: true })
  // An already-aborted signal never fires 'abort' again.
  if (callerSignal?.aborted === true) onCallerAbort()

  return {
    signal: controller.signal,
    interrupted,
    interruption: () => interruption,
    dispose: () => {
      clearTimeout(timer)
      callerSignal?.removeEventListener('abort', onCallerAbort)
    },
  }
}

/** The reason the fetch sees, named as `AbortSignal.timeout` and `AbortController.abort` name theirs. */
const abortReason = (why: Interruption, timeoutMs: number): DOMException =>
  why === 'timeout'
    ? new DOMException(`no complete response within ${timeoutMs} ms`, 'TimeoutError')
    : new DOMException('the caller aborted the request', 'AbortError')

/**
 * `pending`'s value, or the interruption if it comes first. Racing (rather than trusting
 * `signal` alone) keeps the timeout even for a client that ignores its signal; a value that
 * turns up after losing goes to `discard`, so its connection is released.
 */
export const raceDeadline = async <A>(
  pending: Promise<A>,
  deadline: AttemptDeadline,
  discard: (late: A) => void,
): Promise<Either<Interruption, A>> => {
  const winner = await Promise.race([pending.then(right), deadline.interrupted.then(left)])
  if (isLeft(winner)) pending.then(discard, () => undefined)
  return winner
}
