import type { AddressInfo } from 'node:net'
import { createServer } from 'node:net'
import { keyPair, readCert, resourcesPerTest } from '@azmi/test-support'
import { describe, expect, it } from 'vitest'
import type { NodeTransportOptions } from '../../src/index.js'
import { answerToken, startTransport } from '../support/proxiedEndpoints.js'
import { failure, get } from '../support/requests.js'

const resources = resourcesPerTest()

/** An HTTPS server with the emulator's certificate for 127.0.0.1/localhost, signed by its test CA. */
const serveEntra = () => resources.serve(answerToken, keyPair('server'))

const transport = (options: NodeTransportOptions = {}) => startTransport(resources, options)

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
    const server = await resources.serve((_request, response) => response.end(), keyPair('service-fabric'))
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
    resources.defer(() => new Promise((resolve) => plain.close(resolve)))
    const url = `https://127.0.0.1:${(plain.address() as AddressInfo).port}/`
    await expect(transport().send(get(url), undefined)).resolves.toMatchObject(failure('tls'))
  })
})
