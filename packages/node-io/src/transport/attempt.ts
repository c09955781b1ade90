/**
 * One attempt at one request, and the single place where it ends.
 *
 * A request can end in several ways at once: the deadline fires while the socket resets, the
 * caller aborts while the body streams. Every ending goes through `settle`; the first outcome
 * wins, and settling always disarms the deadline, detaches the abort listener and (unless a
 * reply arrived whole) destroys everything the attempt tracked (the request, a tunnel being
 * opened, a place in a connection queue), so a late event can neither resolve twice nor leave
 * a timer, a listener, a socket or a waiter behind.
 *
 * @since 0.1.0
 */

import type { AbortSignalLike, CallHints, HttpResponse, TransportFailure } from '@azmi/core'
import { interruptedFailure } from '@azmi/core'
import type { Either } from 'fp-ts/lib/Either.js'
import { isLeft, left } from 'fp-ts/lib/Either.js'

/** What `send` resolves with. */
export type SendOutcome = Either<TransportFailure, HttpResponse>

/** Something an attempt must tear down if it fails: a request, a socket, a queued waiter. */
export interface Destroyable {
  readonly destroy: () => unknown
}

export interface Attempt {
  /** True once the attempt has an outcome; events after that are ignored. */
  readonly isSettled: () => boolean
  /** End the attempt with `outcome` unless it already ended. */
  readonly settle: (outcome: SendOutcome) => void
  /** Destroy `resource` if the attempt fails (at once, if it already has). */
  readonly track: (resource: Destroyable) => void
}

/** Node turns a delay above this into 1 ms (with a warning), so longer deadlines are clamped. */
const LONGEST_TIMER_MS = 2_147_483_647

const timerDelay = (timeoutMs: number): number =>
  Number.isNaN(timeoutMs) ? 0 : Math.min(Math.max(timeoutMs, 0), LONGEST_TIMER_MS)

/** What one attempt tracked, torn down together if it fails and let go if it succeeds. */
const trackedResources = () => {
  const tracked: Destroyable[] = []
  let failed = false
  return {
    track: (resource: Destroyable, settled: boolean): void => {
      if (failed) resource.destroy()
      else if (!settled) tracked.push(resource)
    },
    // Latest first: a socket still being opened for the request (TCP, tunnel, TLS) is closed
    // before the request itself, so it can never be handed over to a destroyed request.
    // Destroying the request first let Node attach a late socket to a freed HTTP parser
    // and fail an internal assertion on its next data event (a crash of the host process).
    destroyAll: (): void => {
      failed = true
      for (const resource of tracked.splice(0).reverse()) resource.destroy()
    },
    release: (): void => {
      tracked.length = 0
    },
  }
}

/**
 * Arm the deadline and the abort listener for one attempt. The deadline is a single timer
 * started here, before any connection exists, so it covers DNS, connect, TLS, the request and
 * every byte of the reply; a server that trickles its body cannot extend it.
 */
export const startAttempt = (
  timeoutMs: number,
  signal: AbortSignalLike | undefined,
  resolve: (outcome: SendOutcome) => void,
  hints?: CallHints,
): Attempt => {
  let settled = false
  const resources = trackedResources()

  const settle = (outcome: SendOutcome): void => {
    if (settled) return
    settled = true
    clearTimeout(deadline)
    signal?.removeEventListener('abort', onAbort)
    if (isLeft(outcome)) resources.destroyAll()
    else resources.release()
    resolve(outcome)
  }
  const onAbort = (): void => settle(left(interruptedFailure('aborted', timeoutMs)))
  const deadline = setTimeout(
    () => settle(left(interruptedFailure('timeout', timeoutMs))),
    timerDelay(timeoutMs),
  )
  // background work (a refresh no caller waits on) must not keep the process alive
  if (hints?.background === true) deadline.unref()

  if (signal?.aborted === true) onAbort()
  else signal?.addEventListener('abort', onAbort, { once: true })

  return {
    isSettled: () => settled,
    settle,
    track: (resource) => resources.track(resource, settled),
  }
}
