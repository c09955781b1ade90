/**
 * What the proxy tests of the transport share: an http and an https endpoint on 127.0.0.1
 * that are reached by names only the test proxy resolves (`appservice.test`, `login.test`),
 * the throwaway CA that certifies `login.test`, and transports and proxies closed after the
 * test.
 */
import type { ConnectProxy, ConnectProxyOptions, TestResources, TestServer } from '@azmi/test-support'
import { startConnectProxy } from '@azmi/test-support'
import type { NodeTransport, NodeTransportOptions } from '../../src/index.js'
import { createNodeTransport } from '../../src/index.js'
import type { ThrowawayPki } from './throwawayPki.js'

/** Names the proxy maps to 127.0.0.1 (the port of the URL is kept). */
export const PROXY_HOSTS = { 'appservice.test': '127.0.0.1', 'login.test': '127.0.0.1' } as const

/** The two endpoints of {@link startProxiedEndpoints}, and the URLs that name them through the proxy. */
export interface ProxiedEndpoints {
  readonly http: TestServer
  readonly https: TestServer
  /** `http://appservice.test:PORT` */
  readonly httpUrl: string
  /** `https://login.test:PORT` */
  readonly httpsUrl: string
}

/** The port of `url`, as a number. */
export const portOf = (url: string): number => Number(new URL(url).port)

/** A handler answering every request with a small token reply. */
export const answerToken = (_request: unknown, response: { end: (body: string) => unknown }) =>
  response.end('{"access_token":"t"}')

/** Start both endpoints, closed after the test; `pki` certifies `login.test` for the https one. */
export const startProxiedEndpoints = async (
  pki: ThrowawayPki,
  resources: TestResources,
): Promise<ProxiedEndpoints> => {
  const http = await resources.serve(answerToken)
  const https = await resources.serve(answerToken, pki.issue(['login.test']))
  return {
    http,
    https,
    httpUrl: `http://appservice.test:${portOf(http.url)}`,
    httpsUrl: `https://login.test:${portOf(https.url)}`,
  }
}

/** A proxy that resolves {@link PROXY_HOSTS}, closed after the test. */
export const startProxy = async (
  resources: TestResources,
  options: ConnectProxyOptions = {},
): Promise<ConnectProxy> => resources.closing(await startConnectProxy({ hosts: PROXY_HOSTS, ...options }))

/** A transport closed after the test. */
export const startTransport = (resources: TestResources, options: NodeTransportOptions = {}): NodeTransport =>
  resources.closing(createNodeTransport(options))
