/**
 * Putting one prepared request on the wire and wiring every way it can end into its attempt.
 *
 * @since 0.1.0
 */

import type { Agent, ClientRequest } from 'node:http'
import { request as httpRequest } from 'node:http'
import type { TLSSocket } from 'node:tls'
import { type TransportFailure, transportFailure } from '@azmi/core'
import { left } from 'fp-ts/lib/Either.js'
import type { Attempt } from './attempt.js'
import { onPinnedHandshake } from './certificatePin.js'
import { failureFromError } from './failureFromError.js'
import { loadHttps } from './httpsBuiltins.js'
import type { PreparedRequest } from './prepareRequest.js'
import { readResponse } from './readResponse.js'

export interface Dispatch {
  readonly prepared: PreparedRequest
  readonly agent: Agent
  readonly maxResponseBytes: number
  readonly attempt: Attempt
  /** Whether a reset on a pooled socket may be retried once on a new connection. */
  readonly mayRetryStaleSocket: boolean
}

/**
 * A pooled socket can be closed by the server just as a request is written to it; the request
 * then fails with ECONNRESET before any reply. Node's documentation recommends retrying exactly
 * that case, which the server never answered, on a new connection.
 * @see https://nodejs.org/docs/latest-v20.x/api/http.html#requestreusedsocket
 */
const isStaleSocketReset = (request: ClientRequest, error: unknown, responded: boolean): boolean =>
  !responded && request.reusedSocket && failureFromError(error).kind === 'reset'

/**
 * A connection that closes before any reply byte is, to the core, "nothing answered"
 * (`connect`), as fetch reports it too; `reset` is kept for a reply that began and broke.
 */
const beforeOrDuringReply = (failure: TransportFailure, responded: boolean): TransportFailure =>
  !responded && failure.kind === 'reset'
    ? transportFailure('connect', `closed before any reply (${failure.detail})`)
    : failure

const createClientRequest = ({ prepared, agent }: Dispatch): ClientRequest => {
  const { secure, hostname, port, path, method, headers } = prepared
  const options = { hostname, path, method, headers, agent, ...(port === undefined ? {} : { port }) }
  return secure ? loadHttps().request(options) : httpRequest(options)
}

/** Write the body now, or, for a pinned request, only once the server's certificate matched. */
const sendBodyWhenTrusted = (request: ClientRequest, { prepared, attempt }: Dispatch): void => {
  const { pin, body } = prepared
  if (pin === undefined) {
    request.end(body)
    return
  }
  request.once('socket', (socket) => {
    onPinnedHandshake(
      socket as TLSSocket,
      pin,
      () => request.end(body),
      (detail) => attempt.settle(left(transportFailure('certificate-mismatch', detail))),
    )
  })
}

/** Send `dispatch.prepared` and settle `dispatch.attempt` with its reply or its failure. */
export const dispatchRequest = (dispatch: Dispatch): void => {
  const { attempt, maxResponseBytes } = dispatch
  if (attempt.isSettled()) return
  let request: ClientRequest
  try {
    request = createClientRequest(dispatch)
  } catch (error) {
    // Only the code: Node's message for an invalid header may quote the header it rejected.
    const code = error instanceof Error && 'code' in error ? String(error.code) : 'unknown'
    attempt.settle(left(transportFailure('other', `the request could not be built (${code})`)))
    return
  }
  attempt.track(request)
  let responded = false
  request.on('response', (response) => {
    responded = true
    readResponse(response, maxResponseBytes, attempt)
  })
  request.on('error', (error) => {
    if (dispatch.mayRetryStaleSocket && isStaleSocketReset(request, error, responded)) {
      dispatchRequest({ ...dispatch, mayRetryStaleSocket: false })
    } else {
      attempt.settle(left(beforeOrDuringReply(failureFromError(error), responded)))
    }
  })
  sendBodyWhenTrusted(request, dispatch)
}
