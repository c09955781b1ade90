/**
 * The `send` capability over `node:http` / `node:https`.
 *
 * @since 0.1.0
 */
import type { AbortSignalLike, HttpRequest } from '@azmi/core'
import { isLeft } from 'fp-ts/lib/Either.js'
import { createAgentPool } from './agentPool.js'
import type { SendOutcome } from './attempt.js'
import { startAttempt } from './attempt.js'
import { dispatchRequest } from './dispatchRequest.js'
import { prepareRequest } from './prepareRequest.js'

/** Replies larger than this are refused unless `maxResponseBytes` says otherwise: 1 MiB. */
export const DEFAULT_MAX_RESPONSE_BYTES = 1_048_576

/** Options of {@link createNodeTransport}. */
export interface NodeTransportOptions {
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
   * `TransportFailure`; never rejects. Redirects are returned, not followed. Proxy variables
   * are not read: managed-identity endpoints are link-local or loopback.
   */
  readonly send: (request: HttpRequest, signal: AbortSignalLike | undefined) => Promise<SendOutcome>
  /**
   * Close every pooled connection now, idle or in use (in-flight requests fail with `reset`).
   * Optional: idle connections never keep the process alive. The transport stays usable.
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
 * const transport = createNodeTransport()
 * const reply = await transport.send(
 *   { method: 'GET', url: 'http://169.254.169.254/metadata/instance', headers: { Metadata: 'true' }, timeoutMs: 1_000 },
 *   undefined,
 * )
 * ```
 */
export const createNodeTransport = (options: NodeTransportOptions = {}): NodeTransport => {
  const pool = createAgentPool(options.ca)
  const maxResponseBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES

  const send = (request: HttpRequest, signal: AbortSignalLike | undefined): Promise<SendOutcome> =>
    new Promise((resolve) => {
      const prepared = prepareRequest(request)
      if (isLeft(prepared)) return resolve(prepared)
      const attempt = startAttempt(request.timeoutMs, signal, resolve)
      const pinned = prepared.right.pin !== undefined
      dispatchRequest({
        prepared: prepared.right,
        agent: pinned ? pool.pinned() : pool.shared(prepared.right.secure),
        maxResponseBytes,
        attempt,
        mayRetryStaleSocket: true,
      })
    })

  return { send, close: pool.destroy }
}
