/**
 * Which way a request reaches its endpoint (see `dispatchRequest.ts` for the three ways).
 *
 * - Pinned requests and those with their own CA or server name get a connection of their
 *   own, so that trust granted to one request is never lent to another through a pool.
 * - `https:` through a proxy is a CONNECT tunnel, also a connection of its own.
 * - `http:` through a proxy is forwarded in absolute form over the pooled http agent.
 * - Everything else is pooled, straight to the endpoint.
 *
 * @since 0.1.0
 */
import type { Socket } from 'node:net'
import type { AgentPool } from './agentPool.js'
import type { Attempt } from './attempt.js'
import type { Connection } from './dispatchRequest.js'
import type { OriginLimiter } from './originLimiter.js'
import type { PreparedRequest } from './prepareRequest.js'
import type { ProxyEndpoint } from './proxy/proxyUrl.js'
import { singleUseConnection } from './singleUseConnection.js'
import { needsOwnConnection } from './tlsRequirements.js'

/** What a transport owns that connections are made from. */
export interface ConnectionResources {
  readonly pool: AgentPool
  readonly limiter: OriginLimiter
  /** The open single-use connections, for the transport's `close()`. */
  readonly singleUse: Set<Socket>
}

/** The connection for `prepared`, given the proxy `proxyFor` chose (or none). */
export const chooseConnection = (
  prepared: PreparedRequest,
  proxy: ProxyEndpoint | undefined,
  { pool, limiter, singleUse }: ConnectionResources,
  attempt: Attempt,
): Connection => {
  if (needsOwnConnection(prepared.tls) || (proxy !== undefined && prepared.secure)) {
    const trustedContext = pool.trustedContext()
    const plan = { prepared, proxy, trustedContext, limiter, openConnections: singleUse, attempt }
    return { via: 'single-use', open: () => singleUseConnection(plan) }
  }
  if (proxy !== undefined) return { via: 'forward', agent: pool.shared(false), proxy }
  return { via: 'pooled', agent: pool.shared(prepared.secure) }
}
