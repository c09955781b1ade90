/**
 * The connection pools a transport sends through, and their lifecycle.
 *
 * Unpinned requests share one keep-alive agent per scheme, so IMDS retries and refreshes reuse
 * a warm connection. Node's agent `unref`s a socket the moment it returns to the pool and
 * `ref`s it again when a request takes it, so idle connections never keep the process alive:
 * a CLI exits when its work is done without calling `close()`. Idle sockets are also dropped
 * after `IDLE_SOCKET_MS` (or sooner when the server's `Keep-Alive: timeout=` hint says so).
 *
 * Pinned requests get a fresh agent each: no keep-alive, no TLS session cache, and
 * certificate verification off for that one connection only (the pin replaces it). A pinned
 * socket is therefore never shared with, or resumed by, any other request.
 *
 * @since 0.1.0
 */
import { Agent as HttpAgent } from 'node:http'
import type { Agent as HttpsAgent } from 'node:https'
import { loadHttps, loadTls } from './httpsBuiltins.js'

/**
 * How long an idle pooled socket is kept. Below the 5 s `keepAliveTimeout` of Node servers
 * and most proxies, so the client, not the server, closes an idle connection; that narrows
 * the race where a request is written to a socket the server is closing.
 */
const IDLE_SOCKET_MS = 4_000

export interface AgentPool {
  /** The agent for an unpinned request over `http:` (`secure: false`) or `https:`. */
  readonly shared: (secure: boolean) => HttpAgent
  /** A single-use agent for one pinned request. */
  readonly pinned: () => HttpsAgent
  /** Destroy every pooled socket, idle or in use. The pool stays usable afterwards. */
  readonly destroy: () => void
}

/**
 * Node's `ca` option replaces the bundled Mozilla roots; extra CAs are meant to add trust, so
 * they are appended to those roots. (`NODE_EXTRA_CA_CERTS` is not consulted when `ca` is
 * given; Node 20 exposes no API to read it back.)
 */
const trustedAuthorities = (extraCa: string | ReadonlyArray<string> | undefined): string[] | undefined => {
  if (extraCa === undefined) return undefined
  return [...loadTls().rootCertificates, ...(typeof extraCa === 'string' ? [extraCa] : extraCa)]
}

/**
 * Create the agents for one transport. The https agent is made at the first https request,
 * so a process that only speaks http never loads TLS (see `httpsBuiltins.ts`).
 */
export const createAgentPool = (extraCa: string | ReadonlyArray<string> | undefined): AgentPool => {
  const http = new HttpAgent({ keepAlive: true, timeout: IDLE_SOCKET_MS })
  let https: HttpsAgent | undefined
  const sharedHttps = (): HttpsAgent => {
    if (https !== undefined) return https
    const ca = trustedAuthorities(extraCa)
    https = new (loadHttps().Agent)({
      keepAlive: true,
      timeout: IDLE_SOCKET_MS,
      ...(ca === undefined ? {} : { ca }),
    })
    return https
  }
  return {
    shared: (secure) => (secure ? sharedHttps() : http),
    pinned: () =>
      new (loadHttps().Agent)({ keepAlive: false, maxCachedSessions: 0, rejectUnauthorized: false }),
    destroy: () => {
      http.destroy()
      https?.destroy()
    },
  }
}
