/**
 * A real HTTP proxy on 127.0.0.1 for tests (docs/protocol.md §1.6): `CONNECT host:port`
 * tunnels for https endpoints and absolute-form forwarding (`GET http://host/path`) for http
 * ones. It records what it was asked, can demand credentials (407) or refuse tunnels, and
 * resolves host names only through the map it is given, never through DNS: endpoints behind
 * it get names (`login.test`) that nothing else resolves, so a request that skipped the proxy
 * fails to resolve and the test sees it. It connects only to loopback addresses.
 *
 * It never prints or keeps a `Proxy-Authorization` value: it records whether one came.
 */
import type { IncomingMessage } from 'node:http'
import { createServer } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import { connect } from 'node:net'
import { authorized, forward, REALM, type Relay } from './proxyForwarding.js'
import { loopbackAddress, type ResolvedTarget, resolveTarget } from './proxyHosts.js'

/** What the proxy did with one request. */
export type ProxyOutcome =
  /** tunnelled or forwarded to the endpoint */
  | 'relayed'
  /** answered 407: credentials missing or wrong */
  | 'credentials-required'
  /** answered 403 to a CONNECT (`connect: 'refuse'`) */
  | 'refused'
  /** closed the connection without a word (`connect: 'close'`) */
  | 'closed'
  /** answered 502: the name is not in the map (and is not a loopback address) */
  | 'unresolved'
  /** answered 502: the mapped endpoint did not accept the connection */
  | 'upstream-unreachable'

/** One request the proxy received. */
export interface ProxiedRequest {
  /** `CONNECT`, or the forwarded request's method. */
  readonly method: string
  /** `host:port` for a CONNECT; the absolute URL of a forwarded request. */
  readonly target: string
  /** Whether a `Proxy-Authorization` header came (its value is never kept). */
  readonly hadProxyAuthorization: boolean
  readonly outcome: ProxyOutcome
}

/** Options of {@link startConnectProxy}. */
export interface ConnectProxyOptions {
  /**
   * Names only this proxy resolves: `'login.test'` → `'127.0.0.1'` keeps the port asked for;
   * `'login.test:443'` → `'127.0.0.1:50123'` maps one port. Targets must be loopback.
   * Loopback addresses resolve to themselves; anything else is answered 502.
   */
  readonly hosts?: Readonly<Record<string, string>>
  /** Demand these credentials (`Basic`), answering 407 without them. */
  readonly credentials?: { readonly username: string; readonly password: string }
  /** What to do with a CONNECT: open the tunnel (default), answer 403, or close at once. */
  readonly connect?: 'tunnel' | 'refuse' | 'close'
}

/** A running proxy. */
export interface ConnectProxy {
  /** `http://127.0.0.1:PORT`, without credentials. */
  readonly url: string
  readonly port: number
  /** The requests received so far, oldest first. */
  readonly requests: ReadonlyArray<ProxiedRequest>
  /** {@link url} with `username:password@` in it, each percent-encoded. */
  urlWith(username: string, password: string): string
  /** Close the listener and every connection it holds, tunnels included. */
  close(): Promise<void>
}

const answer = (client: Socket, statusLine: string, extra: string[] = []): void => {
  client.end([`HTTP/1.1 ${statusLine}`, ...extra, 'Content-Length: 0', '', ''].join('\r\n'))
}

const openTunnel = (
  relay: Relay,
  client: Socket,
  head: Buffer,
  upstream: ResolvedTarget,
  note: (outcome: ProxyOutcome) => void,
): void => {
  const endpoint = connect({ host: upstream.host, port: upstream.port })
  relay.adopt(endpoint)
  let connected = false
  endpoint.once('connect', () => {
    connected = true
    note('relayed')
    client.write('HTTP/1.1 200 Connection Established\r\n\r\n')
    if (head.length > 0) endpoint.write(head)
    endpoint.pipe(client).pipe(endpoint)
  })
  endpoint.on('error', () => {
    if (!connected && !client.destroyed) {
      note('upstream-unreachable')
      answer(client, '502 Bad Gateway')
    }
    endpoint.destroy()
    client.destroy()
  })
  client.on('close', () => endpoint.destroy())
}

/** Why a CONNECT is not tunnelled, and the reply (status line, extra headers; none: close). */
const refuseTunnel = (
  options: ConnectProxyOptions,
  request: IncomingMessage,
): { outcome: ProxyOutcome; reply: [string, string[]] | undefined } | undefined => {
  const mode = options.connect ?? 'tunnel'
  if (mode === 'close') return { outcome: 'closed', reply: undefined }
  if (mode === 'refuse') return { outcome: 'refused', reply: ['403 Forbidden', []] }
  if (!authorized(request.headers, options)) {
    return {
      outcome: 'credentials-required',
      reply: ['407 Proxy Authentication Required', [`Proxy-Authenticate: ${REALM}`]],
    }
  }
  return undefined
}

const tunnel = (relay: Relay, request: IncomingMessage, client: Socket, head: Buffer): void => {
  relay.adopt(client)
  client.on('error', () => client.destroy())
  const target = request.url ?? ''
  const note = (outcome: ProxyOutcome) =>
    relay.record({
      method: 'CONNECT',
      target,
      hadProxyAuthorization: request.headers['proxy-authorization'] !== undefined,
      outcome,
    })
  const refusal = refuseTunnel(relay.options, request)
  if (refusal !== undefined) {
    note(refusal.outcome)
    if (refusal.reply === undefined) client.destroy()
    else answer(client, ...refusal.reply)
    return
  }
  const url = URL.canParse(`http://${target}`) ? new URL(`http://${target}`) : undefined
  const upstream =
    url === undefined || url.port === ''
      ? undefined
      : resolveTarget(relay.options.hosts, url.hostname, Number(url.port))
  if (upstream === undefined) {
    note('unresolved')
    answer(client, '502 Bad Gateway')
    return
  }
  openTunnel(relay, client, head, upstream, note)
}

/**
 * Start a proxy on an ephemeral port of 127.0.0.1. Throws when `hosts` maps a name to an
 * address that is not loopback: tests must never reach beyond this machine.
 *
 * @example
 * ```ts
 * const proxy = await startConnectProxy({ hosts: { 'login.test': '127.0.0.1' } })
 * const env = { ...emulator.env('WorkloadIdentity'), HTTPS_PROXY: proxy.url }
 * // ... proxy.requests shows [{ method: 'CONNECT', target: 'login.test:PORT', ... }]
 * await proxy.close()
 * ```
 */
export const startConnectProxy = async (options: ConnectProxyOptions = {}): Promise<ConnectProxy> => {
  for (const [name, address] of Object.entries(options.hosts ?? {})) {
    if (!loopbackAddress(address))
      throw new RangeError(`hosts maps ${name} to ${address}, which is not loopback`)
  }
  const requests: ProxiedRequest[] = []
  const sockets = new Set<Socket>()
  const adopt = (socket: Socket): void => {
    sockets.add(socket)
    socket.once('close', () => sockets.delete(socket))
  }
  const relay: Relay = { record: (request) => void requests.push(request), adopt, options }
  const server = createServer((request, response) => forward(relay, request, response))
  server.on('connection', adopt)
  server.on('connect', (request: IncomingMessage, client: Socket, head: Buffer) =>
    tunnel(relay, request, client, head),
  )
  server.on('clientError', (_error, socket) => socket.destroy())
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  const url = `http://127.0.0.1:${port}`
  return {
    url,
    port,
    get requests() {
      return [...requests]
    },
    urlWith: (username, password) =>
      `http://${encodeURIComponent(username)}:${encodeURIComponent(password)}@127.0.0.1:${port}`,
    close: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()))
      for (const socket of sockets) socket.destroy()
      await closed
    },
  }
}
