/**
 * One attempt's deadline: the request's `timeoutMs` and the caller's `AbortSignalLike`, folded
 * into one real `AbortSignal` for the pipeline request.
 *
 * The pipeline's own `PipelineRequest.timeout` is set too, but Node's pipeline client clears it
 * once the response headers arrive, so a body trickled slowly would outlive it (measured with
 * `createDefaultHttpClient()` 1.24.0 against the emulator's trickle fault). This timer runs
 * from the send to the last body byte, as `timeoutMs` means (docs/protocol.md §1.5), and it
 * says which of the two fired, so neither has to be guessed from an error.
 *
 * @since 0.1.0
 */
import type { AbortSignalLike } from '@azmi/core'

/** Why an attempt was cut short: its `timeoutMs` ran out, or the caller aborted it. */
export type Interruption = 'timeout' | 'aborted'

/** One attempt's deadline, as started by {@link startAttemptDeadline}. */
export interface AttemptDeadline {
  /** Aborts when the deadline passes or the caller aborts: the pipeline request's `abortSignal`. */
  readonly signal: AbortSignal
  /** Settles with the first interruption; never rejects. Lets a client that ignores `signal` lose a race. */
  readonly interrupted: Promise<Interruption>
  /** The interruption that happened, if any: read first whenever something fails. */
  readonly interruption: () => Interruption | undefined
  /** Stop the timer and detach from the caller's signal; call it on every way out of an attempt. */
  readonly dispose: () => void
}

/** Start the clock for one attempt of `timeoutMs`, tied to the caller's `signal`. */
export const startAttemptDeadline = (
  timeoutMs: number,
  callerSignal: AbortSignalLike | undefined,
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
    controller.abort(
      why === 'timeout'
        ? new DOMException(`no complete response within ${timeoutMs} ms`, 'TimeoutError')
        : new DOMException('the caller aborted the request', 'AbortError'),
    )
  }
  const onCallerAbort = (): void => interrupt('aborted')
  const timer = setTimeout(() => interrupt('timeout'), timeoutMs)
  callerSignal?.addEventListener('abort', onCallerAbort, { once: true })
  // an already-aborted signal never fires 'abort' again
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
