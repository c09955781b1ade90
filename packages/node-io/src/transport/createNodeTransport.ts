/**
 * The `send` capability over `node:http` / `node:https`.
 *
 * @since 0.1.0
 */
import type { Socket } from 'node:net'
import type { AbortSignalLike, CallHints, HttpRequest } from '@azmi/core'
import { isLeft } from 'fp-ts/lib/Either.js'
import { createAgentPool, MAX_CONNECTIONS_PER_ORIGIN } from './agentPool.js'
import type { SendOutcome } from './attempt.js'
import { startAttempt } from './attempt.js'
import { chooseConnection } from './chooseConnection.js'
import { dispatchRequest } from './dispatchRequest.js'
import { createOriginLimiter } from './originLimiter.js'
import { prepareRequest } from './prepareRequest.js'
import type { ProxyConfiguration } from './proxy/proxySettings.js'
import { proxyFor, resolveProxySettings } from './proxy/proxySettings.js'

/** Replies larger than this are refused unless `maxResponseBytes` says otherwise: 1 MiB. */
export const DEFAULT_MAX_RESPONSE_BYTES = 1_048_576

/**
 * Options of {@link createNodeTransport}. `env` and `proxy` decide which requests go through
 * a proxy (docs/protocol.md §1.6); without either, none does.
 */
export interface NodeTransportOptions extends ProxyConfiguration {
  /**
   * PEM certificates of extra authorities to trust for `https:` requests, in addition to
   * Node's bundled roots (for a private Entra ID endpoint, or a test CA).
   */
  readonly ca?: string | ReadonlyArray<string>
  /** Refuse reply bodies longer than this many bytes (default 1 MiB). */
  readonly maxResponseBytes?: number
}

/** A Node transport: the `send` capability plus control over its pooled connections. */
export interface NodeTransport {
  /**
   * Send `request` once and resolve with the reply, whatever its status, or with a
   * `TransportFailure`; never rejects. Redirects are returned, not followed. Goes through the
   * configured proxy unless the host is loopback, link-local or exempted by `NO_PROXY`.
   * Honours `request.tls`: a pin, a CA of its own, a server name. At most 16 connections
   * per origin are open at once; further requests wait, within their own deadline.
   */
  readonly send: (
    request: HttpRequest,
    signal: AbortSignalLike | undefined,
    hints?: CallHints,
  ) => Promise<SendOutcome>
  /**
   * Close every connection now, pooled or single-use, idle or in use (in-flight requests
   * fail). Optional: idle connections never keep the process alive. The transport stays usable.
   */
  readonly close: () => void
}

/**
 * Create a transport with its own keep-alive pools.
 *
 * @example
 * ```ts
 * import { createNodeTransport } from '@azmi/node-io'
 *
 * // HTTPS_PROXY, HTTP_PROXY and NO_PROXY of this snapshot apply; IMDS is never proxied
 * const transport = createNodeTransport({ env: { ...process.env } })
 * const reply = await transport.send(
 *   { method: 'GET', url: 'http://169.254.169.254/metadata/instance', headers: { Metadata: 'true' }, timeoutMs: 1_000 },
 *   undefined,
 * )
 * ```
 */
export const createNodeTransport = (options: NodeTransportOptions = {}): NodeTransport => {
  const resources = {
    pool: createAgentPool(options.ca),
    limiter: createOriginLimiter(MAX_CONNECTIONS_PER_ORIGIN),
    singleUse: new Set<Socket>(),
  }
  const proxies = resolveProxySettings(options)
  const maxResponseBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES

  const send = (
    request: HttpRequest,
    signal: AbortSignalLike | undefined,
    hints?: CallHints,
  ): Promise<SendOutcome> =>
    new Promise((resolve) => {
      const prepared = prepareRequest(request)
      if (isLeft(prepared)) return resolve(prepared)
      const proxy = proxyFor(proxies, prepared.right.url)
      if (isLeft(proxy)) return resolve(proxy)
      const attempt = startAttempt(request.timeoutMs, signal, resolve, hints)
      dispatchRequest({
        background: hints?.background === true,
        prepared: prepared.right,
        connection: chooseConnection(prepared.right, proxy.right, resources, attempt),
        maxResponseBytes,
        attempt,
        mayRetryStaleSocket: true,
      })
    })

  const close = (): void => {
    resources.pool.destroy()
    for (const socket of resources.singleUse) socket.destroy()
  }
  return { send, close }
}
