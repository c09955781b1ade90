/**
 * The connection pools a transport sends through, and their lifecycle.
 *
 * Ordinary requests share one keep-alive agent per scheme, so IMDS retries and refreshes reuse
 * a warm connection; `http:` requests forwarded to a proxy share the http agent too, pooled
 * per proxy (the proxy is the host they connect to). Node's agent `unref`s a socket the moment it returns to the pool and
 * `ref`s it again when a request takes it, so idle connections never keep the process alive:
 * a CLI exits when its work is done without calling `close()`. Idle sockets are also dropped
 * after `IDLE_SOCKET_MS` (or sooner when the server's `Keep-Alive: timeout=` hint says so).
 *
 * Each agent opens at most {@link MAX_CONNECTIONS_PER_ORIGIN} sockets per origin (Node's
 * `maxSockets` counts per host and port); further requests queue inside the agent, under their
 * own deadline. Requests that must not share a pooled socket (pinned ones, those with their
 * own CA or server name, tunnels through a proxy) do not come here: see
 * `singleUseConnection.ts`, which keeps the same cap with `originLimiter.ts`.
 *
 * @since 0.1.0
 */
import { Agent as HttpAgent } from 'node:http'
import type { Agent as HttpsAgent } from 'node:https'
import type { SecureContext } from 'node:tls'
import { loadHttps, loadTls } from './httpsBuiltins.js'

/**
 * How long an idle pooled socket is kept. Below the 5 s `keepAliveTimeout` of Node servers
 * and most proxies, so the client, not the server, closes an idle connection; that narrows
 * the race where a request is written to a socket the server is closing.
 */
const IDLE_SOCKET_MS = 4_000

/**
 * Open connections allowed per origin, pooled or not: enough for a burst of distinct scopes,
 * few enough that thousands of them cannot exhaust the endpoint's (or the process's) sockets.
 */
export const MAX_CONNECTIONS_PER_ORIGIN = 16

export interface AgentPool {
  /** The agent for an unpinned request over `http:` (`secure: false`) or `https:`. */
  readonly shared: (secure: boolean) => HttpAgent
  /**
   * The TLS context an https request without its own CA is verified with: Node's bundled roots
   * plus the transport's extra CAs, or `undefined` (Node's defaults) when there are none.
   */
  readonly trustedContext: () => SecureContext | undefined
  /** Destroy every pooled socket, idle or in use. The pool stays usable afterwards. */
  readonly destroy: () => void
}

/**
 * Node's `ca` option replaces the bundled Mozilla roots; extra CAs are meant to add trust, so
 * they are appended to those roots. (`NODE_EXTRA_CA_CERTS` is not consulted when `ca` is
 * given; Node 20 exposes no API to read it back.) The context is built once: a `ca` option
 * makes every connection parse the ~140 roots again, some 25 ms of CPU per handshake.
 */
const trustedAuthorities = (
  extraCa: string | ReadonlyArray<string> | undefined,
): SecureContext | undefined => {
  if (extraCa === undefined) return undefined
  const tls = loadTls()
  return tls.createSecureContext({
    ca: [...tls.rootCertificates, ...(typeof extraCa === 'string' ? [extraCa] : extraCa)],
  })
}

/**
 * Create the agents for one transport. The https agent is made at the first https request,
 * so a process that only speaks http never loads TLS (see `httpsBuiltins.ts`).
 */
export const createAgentPool = (extraCa: string | ReadonlyArray<string> | undefined): AgentPool => {
  const pooling = { keepAlive: true, timeout: IDLE_SOCKET_MS, maxSockets: MAX_CONNECTIONS_PER_ORIGIN }
  const http = new HttpAgent(pooling)
  let https: HttpsAgent | undefined
  let authorities: { readonly context: SecureContext | undefined } | undefined
  const trusted = (): SecureContext | undefined => {
    authorities ??= { context: trustedAuthorities(extraCa) }
    return authorities.context
  }
  const sharedHttps = (): HttpsAgent => {
    if (https !== undefined) return https
    const secureContext = trusted()
    https = new (loadHttps().Agent)({ ...pooling, ...(secureContext === undefined ? {} : { secureContext }) })
    return https
  }
  return {
    shared: (secure) => (secure ? sharedHttps() : http),
    trustedContext: trusted,
    destroy: () => {
      http.destroy()
      https?.destroy()
    },
  }
}
