/**
 * Putting one prepared request on the wire and wiring every way it can end into its attempt.
 *
 * A request goes one of three ways (chosen by `chooseConnection.ts`):
 * - `pooled`: straight to the endpoint through a shared keep-alive agent;
 * - `forward`: an `http:` request to a proxy, in absolute form (`GET http://host/path`), through
 *   the shared http agent, pooled per proxy;
 * - `single-use`: a connection of its own (see `singleUseConnection.ts`).
 *
 * @since 0.1.0
 */

import type { Agent, ClientRequest, RequestOptions } from 'node:http'
import { request as httpRequest } from 'node:http'
import { errorCodeOf, type TransportFailure, transportFailure } from '@azmi/core'
import { left } from 'fp-ts/lib/Either.js'
import type { Attempt } from './attempt.js'
import { failureFromError } from './failureFromError.js'
import { loadHttps } from './httpsBuiltins.js'
import type { PreparedRequest } from './prepareRequest.js'
import { credentialsWanted, proxyFailure } from './proxy/proxyFailure.js'
import type { ProxyEndpoint } from './proxy/proxyUrl.js'
import { readResponse } from './readResponse.js'
import type { CreateConnection } from './singleUseConnection.js'

/** How a request reaches its endpoint. */
export type Connection =
  | { readonly via: 'pooled'; readonly agent: Agent }
  | { readonly via: 'forward'; readonly agent: Agent; readonly proxy: ProxyEndpoint }
  | {
      readonly via: 'single-use'
      /** A fresh `createConnection` for each request object (a retry gets its own). */
      readonly open: () => CreateConnection
    }

export interface Dispatch {
  readonly prepared: PreparedRequest
  readonly connection: Connection
  readonly maxResponseBytes: number
  readonly attempt: Attempt
  /** Whether a reset on a pooled socket may be retried once on a new connection. */
  readonly mayRetryStaleSocket: boolean
  /** No caller waits on the request: its socket must not keep the process alive. */
  readonly background: boolean
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
 * Through a forwarding proxy, nothing answering is the proxy's failure: it is the host
 * connected to.
 */
const beforeOrDuringReply = (failure: TransportFailure, responded: boolean, connection: Connection) => {
  if (responded || (failure.kind !== 'reset' && failure.kind !== 'connect')) return failure
  if (connection.via === 'forward') {
    return proxyFailure(connection.proxy, `did not answer (${failure.detail})`)
  }
  return failure.kind === 'reset'
    ? transportFailure('connect', `closed before any reply (${failure.detail})`)
    : failure
}

const requestOptions = ({ prepared, connection }: Dispatch): RequestOptions => {
  const { hostname, port, path, method, headers, secure } = prepared
  const target = { hostname, path, method, headers, ...(port === undefined ? {} : { port }) }
  switch (connection.via) {
    case 'pooled':
      return { ...target, agent: connection.agent }
    case 'forward': {
      const { proxy, agent } = connection
      const { url } = prepared
      const authorization =
        proxy.authorization === undefined ? {} : { 'proxy-authorization': proxy.authorization }
      return {
        hostname: proxy.host,
        port: proxy.port,
        path: `${url.protocol}//${url.host}${url.pathname}${url.search}`,
        method,
        headers: { host: url.host, ...headers, ...authorization },
        agent,
      }
    }
    case 'single-use':
      // `defaultPort` keeps `Host` free of `:443`; without an agent Node would assume 80
      return { ...target, defaultPort: secure ? 443 : 80, createConnection: connection.open() }
  }
}

const createClientRequest = (dispatch: Dispatch): ClientRequest => {
  const options = requestOptions(dispatch)
  // a pooled https request needs `https.request` for its agent; every other socket is given
  return dispatch.connection.via === 'pooled' && dispatch.prepared.secure
    ? loadHttps().request(options)
    : httpRequest(options)
}

/** A 407 through a forwarding proxy is the proxy's answer, never the endpoint's. */
const proxyRefusal = ({ connection }: Dispatch, status: number | undefined): TransportFailure | undefined =>
  connection.via === 'forward' && status === 407 ? credentialsWanted(connection.proxy) : undefined

/** Send `dispatch.prepared` and settle `dispatch.attempt` with its reply or its failure. */
export const dispatchRequest = (dispatch: Dispatch): void => {
  const { attempt, maxResponseBytes } = dispatch
  if (attempt.isSettled()) return
  let request: ClientRequest
  try {
    request = createClientRequest(dispatch)
  } catch (error) {
    // Only the code: Node's message for an invalid header may quote the header it rejected.
    const code = errorCodeOf(error) ?? 'unknown'
    attempt.settle(left(transportFailure('other', `the request could not be built (${code})`)))
    return
  }
  attempt.track(request)
  if (dispatch.background) request.once('socket', (socket) => socket.unref())
  let responded = false
  request.on('response', (response) => {
    responded = true
    const refusal = proxyRefusal(dispatch, response.statusCode)
    if (refusal === undefined) readResponse(response, maxResponseBytes, attempt)
    else attempt.settle(left(refusal))
  })
  request.on('error', (error) => {
    if (dispatch.mayRetryStaleSocket && isStaleSocketReset(request, error, responded)) {
      dispatchRequest({ ...dispatch, mayRetryStaleSocket: false })
    } else {
      attempt.settle(left(beforeOrDuringReply(failureFromError(error), responded, dispatch.connection)))
    }
  })
  request.end(dispatch.prepared.body)
}
