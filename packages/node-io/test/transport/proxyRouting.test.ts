import { keyPair, readCert, resourcesPerTest } from '@azmi/test-support'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ProxiedEndpoints } from '../support/proxiedEndpoints.js'
import { portOf, startProxiedEndpoints, startProxy, startTransport } from '../support/proxiedEndpoints.js'
import { failure, get } from '../support/requests.js'
import type { ThrowawayPki } from '../support/throwawayPki.js'
import { createThrowawayPki } from '../support/throwawayPki.js'

let pki: ThrowawayPki
beforeAll(() => {
  pki = createThrowawayPki('azmi proxy routing test CA')
})
afterAll(() => pki.remove())

const resources = resourcesPerTest()
/** The endpoints of the running test (set by `setUp`). */
let endpoints: ProxiedEndpoints
const setUp = async () => {
  endpoints = await startProxiedEndpoints(pki, resources)
  return endpoints
}

const ok = { _tag: 'Right', right: { status: 200, body: '{"access_token":"t"}' } }

describe('through the proxy', () => {
  it('http: goes in absolute form, and the endpoint sees its own name as Host', async () => {
    const { http, httpUrl } = await setUp()
    const proxy = await startProxy(resources)
    const transport = startTransport(resources, { env: { HTTP_PROXY: proxy.url } })
    await expect(transport.send(get(`${httpUrl}/token?resource=r`), undefined)).resolves.toMatchObject(ok)
    expect(proxy.requests).toEqual([
      {
        method: 'GET',
        target: `${httpUrl}/token?resource=r`,
        hadProxyAuthorization: false,
        outcome: 'relayed',
      },
    ])
    expect(http.requests).toMatchObject([
      { url: '/token?resource=r', headers: { host: new URL(httpUrl).host, metadata: 'true' } },
    ])
  })

  it('https: goes through CONNECT, with TLS to the endpoint inside the tunnel', async () => {
    const { https, httpsUrl } = await setUp()
    const proxy = await startProxy(resources)
    const transport = startTransport(resources, { env: { HTTPS_PROXY: proxy.url }, ca: pki.caPem })
    await expect(
      transport.send(get(`${httpsUrl}/tenant/oauth2/v2.0/token`), undefined),
    ).resolves.toMatchObject(ok)
    expect(proxy.requests).toEqual([
      { method: 'CONNECT', target: new URL(httpsUrl).host, hadProxyAuthorization: false, outcome: 'relayed' },
    ])
    expect(https.requests).toMatchObject([
      { url: '/tenant/oauth2/v2.0/token', headers: { host: new URL(httpsUrl).host } },
    ])
  })

  it('the certificate is checked against the endpoint`s name inside the tunnel: a wrong one fails as tls', async () => {
    // the proxy leads login.test to a server whose (CA-signed) certificate names only 127.0.0.1
    const impostor = await resources.serve((_request, response) => response.end(), pki.issue(['127.0.0.1']))
    const proxy = await startProxy(resources, { hosts: { 'login.test': '127.0.0.1' } })
    const transport = startTransport(resources, { env: { HTTPS_PROXY: proxy.url }, ca: pki.caPem })
    const url = `https://login.test:${portOf(impostor.url)}/token`
    await expect(transport.send(get(url), undefined)).resolves.toMatchObject(failure('tls'))
    expect(proxy.requests).toMatchObject([{ method: 'CONNECT', outcome: 'relayed' }])
    expect(impostor.requests).toHaveLength(0)
  })

  it('the proxy option works without any variable', async () => {
    const { httpUrl, httpsUrl } = await setUp()
    const proxy = await startProxy(resources)
    const transport = startTransport(resources, { proxy: proxy.url, ca: pki.caPem })
    await expect(transport.send(get(httpUrl), undefined)).resolves.toMatchObject(ok)
    await expect(transport.send(get(httpsUrl), undefined)).resolves.toMatchObject(ok)
    expect(proxy.requests.map((request) => request.method)).toEqual(['GET', 'CONNECT'])
  })

  it('tunnels are not pooled: each https request opens its own, and sends Connection: close', async () => {
    const { https, httpsUrl } = await setUp()
    const proxy = await startProxy(resources)
    const transport = startTransport(resources, { env: { HTTPS_PROXY: proxy.url }, ca: pki.caPem })
    await transport.send(get(httpsUrl), undefined)
    await transport.send(get(httpsUrl), undefined)
    expect(proxy.requests.filter((request) => request.method === 'CONNECT')).toHaveLength(2)
    expect(https.requests.map((request) => request.headers.connection)).toEqual(['close', 'close'])
  })
})

describe('names only the proxy resolves', () => {
  it('fail to resolve when the proxy is skipped (proxy: false), so a test can see a skipped proxy', async () => {
    const { httpUrl, httpsUrl } = await setUp()
    const proxy = await startProxy(resources)
    const env = { HTTP_PROXY: proxy.url, HTTPS_PROXY: proxy.url }
    const transport = startTransport(resources, { env, proxy: false, ca: pki.caPem })
    await expect(transport.send(get(httpUrl), undefined)).resolves.toMatchObject(failure('connect'))
    await expect(transport.send(get(httpsUrl), undefined)).resolves.toMatchObject(failure('connect'))
    expect(proxy.requests).toEqual([])
  })
})

describe('never through the proxy', () => {
  it.each(['127.0.0.1', 'localhost'])(
    'loopback %s, over http: and https:, whatever the variables say',
    async (host) => {
      const http = await resources.serve((_request, response) => response.end('{}'))
      const https = await resources.serve((_request, response) => response.end('{}'), keyPair('server'))
      const proxy = await startProxy(resources)
      const env = {
        HTTP_PROXY: proxy.url,
        HTTPS_PROXY: proxy.url,
        http_proxy: proxy.url,
        https_proxy: proxy.url,
      }
      const transport = startTransport(resources, { env, ca: readCert('ca.pem') })
      const local = (url: string) => url.replace('127.0.0.1', host)
      await expect(transport.send(get(local(http.url)), undefined)).resolves.toMatchObject({
        right: { status: 200 },
      })
      await expect(transport.send(get(local(https.url)), undefined)).resolves.toMatchObject({
        right: { status: 200 },
      })
      expect(proxy.requests).toEqual([])
      expect([http.requests.length, https.requests.length]).toEqual([1, 1])
    },
  )

  it('nor with an explicit proxy option', async () => {
    const http = await resources.serve((_request, response) => response.end('{}'))
    const proxy = await startProxy(resources)
    const transport = startTransport(resources, { proxy: proxy.url })
    await expect(transport.send(get(http.url), undefined)).resolves.toMatchObject({ right: { status: 200 } })
    expect(proxy.requests).toEqual([])
  })
})

describe('NO_PROXY', () => {
  const sendWith = async (noProxy: string) => {
    const { httpUrl, httpsUrl } = endpoints
    const proxy = await startProxy(resources)
    const env = { HTTP_PROXY: proxy.url, HTTPS_PROXY: proxy.url, NO_PROXY: noProxy }
    const transport = startTransport(resources, { env, ca: pki.caPem })
    const http = await transport.send(get(httpUrl), undefined)
    const https = await transport.send(get(httpsUrl), undefined)
    return { http, https, proxied: proxy.requests.map((request) => request.method) }
  }

  it.each([
    ['a domain', 'login.test,appservice.test'],
    ['a leading-dot domain', '.test'],
    ['a *. domain', '*.test'],
    ['*', '*'],
    [
      'host:port',
      () => `appservice.test:${portOf(endpoints.httpUrl)},login.test:${portOf(endpoints.httpsUrl)}`,
    ],
  ])(
    '%s sends the request direct: it fails to resolve and the proxy sees nothing',
    async (_form, noProxy) => {
      await setUp()
      const outcome = await sendWith(typeof noProxy === 'string' ? noProxy : noProxy())
      expect(outcome).toMatchObject({ http: failure('connect'), https: failure('connect'), proxied: [] })
    },
  )

  it.each([
    ['another domain', 'example.com,.other.test'],
    ['the right host on another port', 'appservice.test:1,login.test:1'],
    ['a parent that is not a suffix match', 'ice.test,gin.test'],
    ['a CIDR block (names are never resolved to match one)', '127.0.0.0/8,0.0.0.0/0'],
  ])('%s keeps the request on the proxy', async (_form, noProxy) => {
    await setUp()
    const outcome = await sendWith(noProxy)
    expect(outcome).toMatchObject({ http: ok, https: ok, proxied: ['GET', 'CONNECT'] })
  })

  it('a CIDR block that does not hold an address keeps it on the proxy', async () => {
    // 192.0.2.0/24 is TEST-NET-1: only the proxy "resolves" it, to 127.0.0.1. (A block that
    // holds it would send the request to 192.0.2.10 for real; noProxy.test.ts covers that match.)
    const server = await resources.serve((_request, response) => response.end('{}'))
    const proxy = await startProxy(resources, { hosts: { '192.0.2.10': '127.0.0.1' } })
    const env = { HTTP_PROXY: proxy.url, NO_PROXY: '10.0.0.0/8,198.51.100.0/24,[fd00::]/8' }
    const transport = startTransport(resources, { env })
    const url = `http://192.0.2.10:${portOf(server.url)}/token`
    await expect(transport.send(get(url), undefined)).resolves.toMatchObject({ right: { status: 200 } })
    expect(proxy.requests).toMatchObject([{ method: 'GET', target: url, outcome: 'relayed' }])
  })
})
