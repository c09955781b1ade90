/**
 * What the proxy tests of the transport share: an http and an https endpoint on 127.0.0.1
 * that are reached by names only the test proxy resolves (`appservice.test`, `login.test`),
 * the throwaway CA that certifies `login.test`, and a place to register cleanups.
 */
import type { ConnectProxy, ConnectProxyOptions } from '@azmi/test-support'
import { startConnectProxy } from '@azmi/test-support'
import type { NodeTransport, NodeTransportOptions } from '../../src/index.js'
import { createNodeTransport } from '../../src/index.js'
import type { Handler, TestServer } from './testServer.js'
import { startServer } from './testServer.js'
import type { ThrowawayPki } from './throwawayPki.js'

/** Names the proxy maps to 127.0.0.1 (the port of the URL is kept). */
export const PROXY_HOSTS = { 'appservice.test': '127.0.0.1', 'login.test': '127.0.0.1' } as const

export interface ProxiedEndpoints {
  readonly http: TestServer
  readonly https: TestServer
  /** `http://appservice.test:PORT` */
  readonly httpUrl: string
  /** `https://login.test:PORT` */
  readonly httpsUrl: string
}

export const portOf = (url: string): number => Number(new URL(url).port)

const answer: Handler = (_request, response) => response.end('{"access_token":"t"}')

/** Start both endpoints; `pki` certifies `login.test` for the https one. */
export const startProxiedEndpoints = async (
  pki: ThrowawayPki,
  cleanups: Array<() => unknown>,
): Promise<ProxiedEndpoints> => {
  const http = await startServer(answer)
  cleanups.push(http.close)
  const https = await startServer(answer, pki.issue(['login.test']))
  cleanups.push(https.close)
  return {
    http,
    https,
    httpUrl: `http://appservice.test:${portOf(http.url)}`,
    httpsUrl: `https://login.test:${portOf(https.url)}`,
  }
}

/** A proxy that resolves {@link PROXY_HOSTS}, closed by the test's cleanups. */
export const startProxy = async (
  cleanups: Array<() => unknown>,
  options: ConnectProxyOptions = {},
): Promise<ConnectProxy> => {
  const proxy = await startConnectProxy({ hosts: PROXY_HOSTS, ...options })
  cleanups.push(proxy.close)
  return proxy
}

/** A transport closed by the test's cleanups. */
export const startTransport = (
  cleanups: Array<() => unknown>,
  options: NodeTransportOptions,
): NodeTransport => {
  const transport = createNodeTransport(options)
  cleanups.push(transport.close)
  return transport
}

/** What a failed `send` looks like, for `toMatchObject`. */
export const failure = (kind: string) => ({ _tag: 'Left', left: { _tag: 'TransportFailure', kind } })

/** The failure detail of a `send` outcome ('' for a reply). */
export const detailOf = (outcome: { _tag: string; left?: { detail: string } }): string =>
  outcome._tag === 'Left' ? (outcome.left?.detail ?? '') : ''
