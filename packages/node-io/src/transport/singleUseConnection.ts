/**
 * Connections opened for one request and closed after it: pinned requests, requests with
 * their own CA or server name, and every `https:` request through a proxy. None is pooled:
 * a pinned or custom-trust socket must never be handed to a request that did not ask for that
 * trust, and a tunnel serves one endpoint for a moment (the token endpoints behind proxies are
 * called about once an hour per scope, so a pool would save little and hold idle tunnels).
 * With no agent, Node sends `Connection: close`, and nothing is left idle to keep the
 * process alive.
 *
 * The request gets its socket only once the server is trusted: TCP (direct, or a CONNECT
 * tunnel), then TLS with the request's own settings, then the pin. Until then the request has
 * no socket, so not one byte of it (a Service Fabric secret, a federated token) can be sent to
 * a server that failed a check. The TLS session runs inside the tunnel, end to end with the
 * endpoint, so the proxy is never asked to vouch for anything.
 *
 * Each connection holds a place of the per-origin cap from before it connects until its TCP
 * socket closes.
 *
 * @since 0.1.0
 */
import type { ClientRequestArgs } from 'node:http'
import type { Socket } from 'node:net'
import { connect, isIP } from 'node:net'
import type { ConnectionOptions, SecureContext, TLSSocket } from 'node:tls'
import type { TransportFailure } from '@azmi/core'
import { errorCodeOf, transportFailure } from '@azmi/core'
import type { Either } from 'fp-ts/lib/Either.js'
import { isLeft, left, right } from 'fp-ts/lib/Either.js'
import type { Attempt } from './attempt.js'
import { pinMismatch } from './certificatePin.js'
import { failureFromError, TransportFailureError } from './failureFromError.js'
import { loadTls } from './httpsBuiltins.js'
import type { OriginLimiter, Release } from './originLimiter.js'
import type { PreparedRequest } from './prepareRequest.js'
import { openTunnel } from './proxy/connectTunnel.js'
import type { ProxyEndpoint } from './proxy/proxyUrl.js'

/** Everything one single-use connection needs. */
export interface SingleUsePlan {
  readonly prepared: PreparedRequest
  /** The proxy to tunnel through, or `undefined` to connect directly. */
  readonly proxy: ProxyEndpoint | undefined
  /** The transport's trust for requests without a CA of their own (`undefined`: Node's). */
  readonly trustedContext: SecureContext | undefined
  readonly limiter: OriginLimiter
  /** Where the transport keeps its open single-use sockets, so that `close()` can end them. */
  readonly openConnections: Set<Socket>
  readonly attempt: Attempt
}

/** Node's `createConnection` request option. */
export type CreateConnection = NonNullable<ClientRequestArgs['createConnection']>

/** How a connection is handed over: a trusted socket, or the error that prevented it. */
type ConnectionCallback = (error: Error | null, socket?: Socket) => void

type TcpOutcome = Either<TransportFailure, Socket>

/** Connect to the endpoint, or to the proxy and through it; `adopt` sees the socket first. */
const openTcp = (
  { prepared, proxy }: SingleUsePlan,
  adopt: (socket: Socket) => void,
  done: (outcome: TcpOutcome) => void,
) => {
  const target = { host: prepared.hostname, port: prepared.effectivePort }
  if (proxy !== undefined) return openTunnel(proxy, target, adopt, done)
  const socket = connect(target)
  adopt(socket)
  const onError = (error: Error): void => {
    socket.on('error', () => undefined).destroy()
    done(left(failureFromError(error)))
  }
  socket.once('error', onError).once('connect', () => {
    socket.off('error', onError)
    done(right(socket))
  })
}

/**
 * The TLS settings of `plan`. The name checked is the request's `servername` or else the URL's
 * host, and is sent as SNI unless it is an address (RFC 6066 forbids addresses in SNI).
 */
const tlsOptions = (tcp: Socket, { prepared, trustedContext }: SingleUsePlan): ConnectionOptions => {
  const { pin, ca, servername } = prepared.tls
  const identity = servername ?? prepared.hostname
  // a pin alone replaces CA and name verification; with a CA of its own, both must pass
  const verify = pin === undefined || ca !== undefined
  const trust =
    ca !== undefined
      ? { ca }
      : verify && trustedContext !== undefined
        ? { secureContext: trustedContext }
        : {}
  return {
    socket: tcp,
    ...(isIP(identity) === 0 && { servername: identity }),
    checkServerIdentity: (_host, certificate) => loadTls().checkServerIdentity(identity, certificate),
    ...trust,
    rejectUnauthorized: verify,
  }
}

const startTls = (tcp: Socket, plan: SingleUsePlan, callback: ConnectionCallback): void => {
  let socket: TLSSocket
  try {
    socket = loadTls().connect(tlsOptions(tcp, plan))
  } catch (error) {
    // for example a `ca` that is not PEM: only the code, the message may quote the input
    tcp.destroy()
    const code = errorCodeOf(error) ?? 'unknown'
    callback(
      new TransportFailureError(transportFailure('tls', `the TLS settings could not be used (${code})`)),
    )
    return
  }
  plan.attempt.track(socket)
  let handedOver = false
  // after the hand-over the request's own listener reports errors; this one then only absorbs
  socket.on('error', (error) => {
    if (!handedOver) {
      handedOver = true
      callback(error)
    }
  })
  // the TLS socket owns the connection now: an error or the end of either ends both
  tcp.on('error', (error) => socket.destroy(error))
  socket.once('close', () => tcp.destroy())
  socket.once('secureConnect', () => {
    const { pin } = plan.prepared.tls
    const mismatch = pin === undefined ? undefined : pinMismatch(socket, pin)
    if (mismatch !== undefined) {
      socket.destroy(new TransportFailureError(transportFailure('certificate-mismatch', mismatch)))
      return
    }
    handedOver = true
    callback(null, socket)
  })
}

/**
 * A `createConnection` for `http.request` that waits for a place under the per-origin cap,
 * connects, and hands over a socket only once the server passed every check; failures come
 * back through `callback`, so they reach the request's `error` listener.
 */
export const singleUseConnection =
  (plan: SingleUsePlan): CreateConnection =>
  (_options, oncreate) => {
    // Node calls back with the error alone on failure, though its types always want a socket
    const callback: ConnectionCallback = (error, socket) => oncreate(error, socket as Socket)
    plan.limiter.acquire(plan.prepared.origin, plan.attempt, (release: Release) => {
      const adopt = (socket: Socket): void => {
        plan.attempt.track(socket)
        plan.openConnections.add(socket)
        socket.once('close', () => {
          plan.openConnections.delete(socket)
          release()
        })
        socket.setNoDelay(true)
      }
      openTcp(plan, adopt, (outcome) => {
        if (isLeft(outcome)) callback(new TransportFailureError(outcome.left))
        else startTls(outcome.right, plan, callback)
      })
    })
    return undefined
  }
