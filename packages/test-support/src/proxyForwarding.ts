/**
 * The forwarding half of the test proxy (`connectProxy.ts`): absolute-form requests
 * (`GET http://appservice.test:PORT/path`) relayed to the mapped endpoint, and the checks both
 * halves share (credentials, the record of what was asked).
 */
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http'
import { request as httpRequest } from 'node:http'
import type { Socket } from 'node:net'
import type { ConnectProxyOptions, ProxiedRequest, ProxyOutcome } from './connectProxy.js'
import { resolveTarget } from './proxyHosts.js'

/** The challenge of a 407. */
export const REALM = 'Basic realm="azmi test proxy"'

/** Whether the request carries the credentials the proxy demands (if it demands any). */
export const authorized = (headers: IncomingHttpHeaders, options: ConnectProxyOptions): boolean => {
  if (options.credentials === undefined) return true
  const [scheme, encoded] = (headers['proxy-authorization'] ?? '').split(' ')
  if (scheme?.toLowerCase() !== 'basic' || encoded === undefined) return false
  const { username, password } = options.credentials
  return Buffer.from(encoded, 'base64').toString('utf8') === `${username}:${password}`
}

/** Hop-by-hop and proxy headers are not the endpoint's business (RFC 9110 §7.6.1). */
const forwardedHeaders = (headers: IncomingHttpHeaders): IncomingHttpHeaders => {
  const {
    'proxy-authorization': _a,
    'proxy-connection': _c,
    connection: _d,
    'keep-alive': _k,
    ...rest
  } = headers
  return rest
}

/** What a relay needs from the proxy: where to record, how to track sockets, the options. */
export interface Relay {
  readonly record: (request: ProxiedRequest) => void
  readonly adopt: (socket: Socket) => void
  readonly options: ConnectProxyOptions
}

/** Send `request` on to `upstream` and pipe the reply back; 502 if the endpoint cannot be reached. */
const relayTo = (
  relay: Relay,
  upstream: { readonly host: string; readonly port: number },
  url: URL,
  exchange: { readonly request: IncomingMessage; readonly response: ServerResponse },
  note: (outcome: ProxyOutcome) => void,
): void => {
  const { request, response } = exchange
  const outgoing = httpRequest({
    host: upstream.host,
    port: upstream.port,
    method: request.method,
    path: `${url.pathname}${url.search}`,
    headers: forwardedHeaders(request.headers),
    agent: false,
  })
  outgoing.on('socket', relay.adopt)
  outgoing.on('response', (reply) => {
    note('relayed')
    response.writeHead(reply.statusCode ?? 502, reply.headers)
    reply.pipe(response)
  })
  outgoing.on('error', () => {
    if (response.headersSent) {
      response.destroy()
    } else {
      note('upstream-unreachable')
      response.writeHead(502).end()
    }
  })
  request.pipe(outgoing)
}

/** Relay one absolute-form request to its endpoint, or answer 400, 407 or 502 for it. */
export const forward = (relay: Relay, request: IncomingMessage, response: ServerResponse): void => {
  const target = request.url ?? ''
  const hadProxyAuthorization = request.headers['proxy-authorization'] !== undefined
  const note = (outcome: ProxyOutcome) =>
    relay.record({ method: request.method ?? '', target, hadProxyAuthorization, outcome })
  const url = URL.canParse(target) ? new URL(target) : undefined
  if (url === undefined || url.protocol !== 'http:') {
    response.writeHead(400).end()
    return
  }
  if (!authorized(request.headers, relay.options)) {
    note('credentials-required')
    response.writeHead(407, { 'proxy-authenticate': REALM }).end()
    return
  }
  const upstream = resolveTarget(relay.options.hosts, url.hostname, Number(url.port || 80))
  if (upstream === undefined) {
    note('unresolved')
    response.writeHead(502).end()
    return
  }
  relayTo(relay, upstream, url, { request, response }, note)
}
