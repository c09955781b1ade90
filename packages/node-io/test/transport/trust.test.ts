import type { AddressInfo } from 'node:net'
import { createServer } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import type { NodeTransport, NodeTransportOptions } from '../../src/index.js'
import { createNodeTransport } from '../../src/index.js'
import { get } from '../support/requests.js'
import type { TestServer } from '../support/testServer.js'
import { keyPair, readCert, startServer } from '../support/testServer.js'

const cleanups: Array<() => unknown> = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

/** An HTTPS server with the emulator's certificate for 127.0.0.1/localhost, signed by its test CA. */
const serveEntra = async (): Promise<TestServer> => {
  const server = await startServer(
    (_request, response) => response.end('{"access_token":"t"}'),
    keyPair('server'),
  )
  cleanups.push(server.close)
  return server
}

const transport = (options: NodeTransportOptions = {}): NodeTransport => {
  const created = createNodeTransport(options)
  cleanups.push(created.close)
  return created
}

const failure = (kind: string) => ({ _tag: 'Left', left: { _tag: 'TransportFailure', kind } })

describe('https trust', () => {
  it('a server signed by an extra CA is trusted when the CA is passed', async () => {
    const server = await serveEntra()
    await expect(
      transport({ ca: readCert('ca.pem') }).send(get(server.url), undefined),
    ).resolves.toMatchObject({
      _tag: 'Right',
      right: { status: 200 },
    })
  })

  it('the CA may come in a list, and localhost matches the certificate too', async () => {
    const server = await serveEntra()
    const url = server.url.replace('127.0.0.1', 'localhost')
    await expect(transport({ ca: [readCert('ca.pem')] }).send(get(url), undefined)).resolves.toMatchObject({
      right: { status: 200 },
    })
  })

  it('the same server is refused as tls without the CA, and nothing reaches it', async () => {
    const server = await serveEntra()
    await expect(transport().send(get(server.url), undefined)).resolves.toMatchObject(failure('tls'))
    expect(server.requests).toHaveLength(0)
  })

  it('a self-signed certificate is refused as tls even with the extra CA', async () => {
    const server = await startServer((_request, response) => response.end(), keyPair('service-fabric'))
    cleanups.push(server.close)
    await expect(
      transport({ ca: readCert('ca.pem') }).send(get(server.url), undefined),
    ).resolves.toMatchObject(failure('tls'))
  })

  it('an https: URL answered in plain HTTP fails as tls', async () => {
    // answers whatever arrives (here a ClientHello) with a plain-text HTTP reply
    const plain = createServer((socket) => {
      socket.resume() // read (and discard) the ClientHello, so the client's close is seen
      socket.end('HTTP/1.1 400 Bad Request\r\ncontent-length: 0\r\n\r\n')
    })
    await new Promise<void>((resolve) => plain.listen(0, '127.0.0.1', resolve))
    cleanups.push(() => new Promise((resolve) => plain.close(resolve)))
    const url = `https://127.0.0.1:${(plain.address() as AddressInfo).port}/`
    await expect(transport().send(get(url), undefined)).resolves.toMatchObject(failure('tls'))
  })
})
