import type { IncomingMessage } from 'node:http'
import type { TLSSocket } from 'node:tls'
import type { HttpRequest, TlsOptions } from '@azmi/core'
import { type KeyPair, keyPair, readCert, resourcesPerTest, type TestServer } from '@azmi/test-support'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { NodeTransportOptions } from '../../src/index.js'
import { portOf, startProxy, startTransport } from '../support/proxiedEndpoints.js'
import { detailOf, failure, get, SECRET } from '../support/requests.js'
import type { ThrowawayPki } from '../support/throwawayPki.js'
import { createThrowawayPki, thumbprintOf } from '../support/throwawayPki.js'

/** The name the AKS token proxy's certificate carries; the URL says 127.0.0.1 (docs/protocol.md §2.7). */
const SNI_NAME = 'token-proxy.aks.test'

let pki: ThrowawayPki
let tokenProxyCertificate: KeyPair
beforeAll(() => {
  pki = createThrowawayPki('azmi token proxy test CA')
  tokenProxyCertificate = pki.issue([SNI_NAME])
})
afterAll(() => pki.remove())

const resources = resourcesPerTest()

interface SniServer extends TestServer {
  /** The SNI name each request's connection carried (`false`: none). */
  readonly servernames: Array<string | false | null>
}

const serve = async (certificate: KeyPair): Promise<SniServer> => {
  const servernames: Array<string | false | null> = []
  const server = await resources.serve((request: IncomingMessage, response) => {
    servernames.push((request.socket as TLSSocket).servername)
    response.end('{"access_token":"t"}')
  }, certificate)
  return { ...server, servernames }
}

const transport = (options: NodeTransportOptions = {}) => startTransport(resources, options)

const withTls = (url: string, tls: TlsOptions): HttpRequest => get(url, { headers: { Secret: SECRET }, tls })

const ok = { _tag: 'Right', right: { status: 200 } }

describe('a request with its own CA and server name', () => {
  it('succeeds when the certificate chains to that CA and carries that name, which goes out as SNI', async () => {
    const server = await serve(tokenProxyCertificate)
    await expect(
      transport().send(withTls(server.url, { ca: pki.caPem, servername: SNI_NAME }), undefined),
    ).resolves.toMatchObject(ok)
    expect(server.servernames).toEqual([SNI_NAME])
  })

  it('fails as tls with another CA, and the server receives nothing', async () => {
    const server = await serve(tokenProxyCertificate)
    const sent = await transport().send(
      withTls(server.url, { ca: readCert('ca.pem'), servername: SNI_NAME }),
      undefined,
    )
    expect(sent).toMatchObject(failure('tls'))
    expect(JSON.stringify(sent)).not.toContain(SECRET)
    expect(server.requests).toHaveLength(0)
  })

  it('fails as tls without the server name: the certificate does not name 127.0.0.1', async () => {
    const server = await serve(tokenProxyCertificate)
    const sent = await transport().send(withTls(server.url, { ca: pki.caPem }), undefined)
    expect(sent).toMatchObject(failure('tls'))
    expect(detailOf(sent)).toContain('ERR_TLS_CERT_ALTNAME_INVALID')
    expect(server.requests).toHaveLength(0)
  })

  it('fails as tls with a server name the certificate does not carry', async () => {
    const server = await serve(tokenProxyCertificate)
    await expect(
      transport().send(withTls(server.url, { ca: pki.caPem, servername: 'other.aks.test' }), undefined),
    ).resolves.toMatchObject(failure('tls'))
  })

  it('a server name alone is checked against the transport`s usual trust', async () => {
    const server = await serve(tokenProxyCertificate)
    await expect(
      transport({ ca: pki.caPem }).send(withTls(server.url, { servername: SNI_NAME }), undefined),
    ).resolves.toMatchObject(ok)
    await expect(
      transport().send(withTls(server.url, { servername: SNI_NAME }), undefined),
    ).resolves.toMatchObject(failure('tls'))
  })

  it('a CA that is not PEM fails as tls, before anything is sent', async () => {
    const server = await serve(tokenProxyCertificate)
    const sent = await transport().send(
      withTls(server.url, { ca: 'not a certificate', servername: SNI_NAME }),
      undefined,
    )
    expect(sent).toMatchObject(failure('tls'))
    expect(server.requests).toHaveLength(0)
  })

  it('over plain http: is refused before connecting', async () => {
    const server = await resources.serve((_request, response) => response.end())
    await expect(
      transport().send(withTls(server.url, { ca: pki.caPem, servername: SNI_NAME }), undefined),
    ).resolves.toMatchObject(failure('tls'))
    expect(server.connections()).toBe(0)
  })
})

describe('custom-trust connections are never shared with ordinary ones', () => {
  it('an ordinary request after a custom one does not ride its trusted connection', async () => {
    const server = await serve(tokenProxyCertificate)
    const client = transport({ ca: pki.caPem })
    await expect(
      client.send(withTls(server.url, { servername: SNI_NAME }), undefined),
    ).resolves.toMatchObject(ok)
    // the same origin without the server name: 127.0.0.1 is not on the certificate
    await expect(client.send(get(server.url), undefined)).resolves.toMatchObject(failure('tls'))
    expect(server.requests).toHaveLength(1)
    expect(server.requests[0]?.headers.connection).toBe('close')
  })

  it('trusts ONLY its CA (not the transport`s extra CA, which signed this server), nor rides a pooled connection', async () => {
    const server = await serve(keyPair('server'))
    const client = transport({ ca: readCert('ca.pem') })
    await expect(client.send(get(server.url), undefined)).resolves.toMatchObject(ok)
    await expect(client.send(withTls(server.url, { ca: pki.caPem }), undefined)).resolves.toMatchObject(
      failure('tls'),
    )
    expect(server.requests).toHaveLength(1)
    expect(server.connections()).toBe(2)
  })
})

describe('a pin together with a CA: both must hold', () => {
  const pin = () => thumbprintOf(tokenProxyCertificate.cert)
  const clusterPin = () => thumbprintOf(readCert('service-fabric.pem'))

  it('the right pin and the right CA succeed', async () => {
    const server = await serve(tokenProxyCertificate)
    await expect(
      transport().send(
        withTls(server.url, { sha1Thumbprint: pin(), ca: pki.caPem, servername: SNI_NAME }),
        undefined,
      ),
    ).resolves.toMatchObject(ok)
  })

  it('the right pin does not excuse the wrong CA (tls)', async () => {
    const server = await serve(tokenProxyCertificate)
    const tls = { sha1Thumbprint: pin(), ca: readCert('ca.pem'), servername: SNI_NAME }
    await expect(transport().send(withTls(server.url, tls), undefined)).resolves.toMatchObject(failure('tls'))
    expect(server.requests).toHaveLength(0)
  })

  it('the right CA does not excuse the wrong pin (certificate-mismatch), and nothing is sent', async () => {
    const server = await serve(tokenProxyCertificate)
    const tls = { sha1Thumbprint: clusterPin(), ca: pki.caPem, servername: SNI_NAME }
    await expect(transport().send(withTls(server.url, tls), undefined)).resolves.toMatchObject(
      failure('certificate-mismatch'),
    )
    expect(server.requests).toHaveLength(0)
  })

  it('a pin with a server name only sends that name as SNI; the pin alone decides', async () => {
    const server = await serve(keyPair('service-fabric'))
    const tls = { sha1Thumbprint: clusterPin(), servername: 'cluster.sf.test' }
    await expect(transport().send(withTls(server.url, tls), undefined)).resolves.toMatchObject(ok)
    expect(server.servernames).toEqual(['cluster.sf.test'])
  })
})

describe('through a proxy', () => {
  it('the CA and server name are checked inside the tunnel, end to end', async () => {
    const server = await serve(tokenProxyCertificate)
    const proxy = await startProxy(resources, { hosts: { 'aks-proxy.test': '127.0.0.1' } })
    const client = transport({ env: { HTTPS_PROXY: proxy.url } })
    const url = `https://aks-proxy.test:${portOf(server.url)}/tenant/oauth2/v2.0/token`
    await expect(
      client.send(withTls(url, { ca: pki.caPem, servername: SNI_NAME }), undefined),
    ).resolves.toMatchObject(ok)
    await expect(
      client.send(withTls(url, { ca: readCert('ca.pem'), servername: SNI_NAME }), undefined),
    ).resolves.toMatchObject(failure('tls'))
    expect(server.servernames).toEqual([SNI_NAME])
    expect(proxy.requests).toMatchObject([
      { method: 'CONNECT', target: `aks-proxy.test:${portOf(server.url)}`, outcome: 'relayed' },
      { method: 'CONNECT', outcome: 'relayed' },
    ])
  })
})
