/**
 * One attempt at one request, and the single place where it ends.
 *
 * A request can end in several ways at once: the deadline fires while the socket resets, the
 * caller aborts while the body streams. Every ending goes through `settle`; the first outcome
 * wins, and settling always disarms the deadline, detaches the abort listener and (unless a
 * reply arrived whole) destroys the connection, so a late event can neither resolve twice nor
 * leave a timer, a listener or a socket behind.
 *
 * @since 0.1.0
 */

import type { ClientRequest } from 'node:http'
import type { AbortSignalLike, HttpResponse, TransportFailure } from '@azmi/core'
import { transportFailure } from '@azmi/core'
import type { Either } from 'fp-ts/lib/Either.js'
import { isLeft, left } from 'fp-ts/lib/Either.js'

/** What `send` resolves with. */
export type SendOutcome = Either<TransportFailure, HttpResponse>

export interface Attempt {
  /** True once the attempt has an outcome; events after that are ignored. */
  readonly isSettled: () => boolean
  /** End the attempt with `outcome` unless it already ended. */
  readonly settle: (outcome: SendOutcome) => void
  /** Make `request` the connection to destroy when the attempt fails (the latest one wins). */
  readonly track: (request: ClientRequest) => void
}

/** Node turns a delay above this into 1 ms (with a warning), so longer deadlines are clamped. */
const LONGEST_TIMER_MS = 2_147_483_647

const timerDelay = (timeoutMs: number): number =>
  Number.isNaN(timeoutMs) ? 0 : Math.min(Math.max(timeoutMs, 0), LONGEST_TIMER_MS)

/**
 * Arm the deadline and the abort listener for one attempt. The deadline is a single timer
 * started here, before any connection exists, so it covers DNS, connect, TLS, the request and
 * every byte of the reply; a server that trickles its body cannot extend it.
 */
export const startAttempt = (
  timeoutMs: number,
  signal: AbortSignalLike | undefined,
  resolve: (outcome: SendOutcome) => void,
): Attempt => {
  let settled = false
  let current: ClientRequest | undefined

  const settle = (outcome: SendOutcome): void => {
    if (settled) return
    settled = true
    clearTimeout(deadline)
    signal?.removeEventListener('abort', onAbort)
    if (isLeft(outcome)) current?.destroy()
    resolve(outcome)
  }
  const onAbort = (): void => settle(left(transportFailure('aborted', 'the caller aborted the request')))
  const deadline = setTimeout(
    () => settle(left(transportFailure('timeout', `no complete reply within ${timeoutMs} ms`))),
    timerDelay(timeoutMs),
  )

  if (signal?.aborted === true) onAbort()
  else signal?.addEventListener('abort', onAbort, { once: true })

  return {
    isSettled: () => settled,
    settle,
    track: (request) => {
      current = request
    },
  }
}
