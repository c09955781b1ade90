import { X509Certificate } from 'node:crypto'
import { type Handler, keyPair, readCert, resourcesPerTest, startTlsRecorder } from '@azmi/test-support'
import { describe, expect, it } from 'vitest'
import { answerToken, startTransport } from '../support/proxiedEndpoints.js'
import { failure, get, SECRET } from '../support/requests.js'

const resources = resourcesPerTest()
const serveTls = (certificate: string, handler: Handler) => resources.serve(handler, keyPair(certificate))

const transport = () => startTransport(resources)

/** `AB:CD:...`, as `openssl` and Node print it. */
const fingerprintOf = (certificate: string): string =>
  new X509Certificate(readCert(`${certificate}.pem`)).fingerprint

const pinned = (url: string, sha1Thumbprint: string) =>
  get(url, { headers: { Secret: SECRET }, tls: { sha1Thumbprint } })

const answer: Handler = answerToken

describe('a pinned request', () => {
  const colons = fingerprintOf('service-fabric')
  it.each([
    ['upper-case hex, no separators (the core form)', colons.replaceAll(':', '')],
    ['lower-case hex', colons.replaceAll(':', '').toLowerCase()],
    ['colon-separated', colons],
    ['colon-separated lower-case', colons.toLowerCase()],
  ])('succeeds against the self-signed cluster certificate: %s', async (_form, thumbprint) => {
    const server = await serveTls('service-fabric', answer)
    await expect(transport().send(pinned(server.url, thumbprint), undefined)).resolves.toMatchObject({
      _tag: 'Right',
      right: { status: 200, body: '{"access_token":"t"}' },
    })
    expect(server.requests).toMatchObject([{ headers: { secret: SECRET } }])
  })

  it('with the wrong thumbprint fails as certificate-mismatch and the server receives nothing', async () => {
    const server = await serveTls('service-fabric', answer)
    const reply = await transport().send(
      pinned(server.url, fingerprintOf('service-fabric-alternate')),
      undefined,
    )
    expect(reply).toMatchObject(failure('certificate-mismatch'))
    expect(JSON.stringify(reply)).not.toContain(SECRET)
    await server.connectionsClosed()
    expect(server.connections()).toBe(1)
    expect(server.requests).toHaveLength(0)
  })

  it('with the wrong thumbprint sends not one byte over the TLS connection', async () => {
    const recorder = await startTlsRecorder(keyPair('service-fabric'))
    resources.defer(recorder.close)
    const url = `https://127.0.0.1:${recorder.port}/token`
    await expect(
      transport().send(pinned(url, fingerprintOf('service-fabric-alternate')), undefined),
    ).resolves.toMatchObject(failure('certificate-mismatch'))
    await recorder.connectionsClosed()
    expect(recorder.bytesReceived()).toBe(0)
  })

  it('with the right thumbprint does reach the byte recorder (so the zero above is not vacuous)', async () => {
    const recorder = await startTlsRecorder(keyPair('service-fabric'))
    resources.defer(recorder.close)
    const url = `https://127.0.0.1:${recorder.port}/token`
    // the recorder never answers: once it has decrypted the request, the test aborts it
    const controller = new AbortController()
    const reply = transport().send(pinned(url, fingerprintOf('service-fabric')), controller.signal)
    await recorder.firstBytes
    controller.abort()
    await expect(reply).resolves.toMatchObject(failure('aborted'))
    expect(recorder.bytesReceived()).toBeGreaterThan(0)
  })

  it('over plain http: is refused before connecting', async () => {
    const server = await resources.serve(answer)
    await expect(
      transport().send(pinned(server.url, fingerprintOf('service-fabric')), undefined),
    ).resolves.toMatchObject(failure('certificate-mismatch'))
    expect(server.connections()).toBe(0)
  })

  it('with a thumbprint that is not SHA-1 hex is refused before connecting', async () => {
    const server = await serveTls('service-fabric', answer)
    await expect(transport().send(pinned(server.url, 'not-a-thumbprint'), undefined)).resolves.toMatchObject(
      failure('certificate-mismatch'),
    )
    expect(server.connections()).toBe(0)
  })

  it('uses a connection of its own each time (pinned sockets are never pooled)', async () => {
    const server = await serveTls('service-fabric', answer)
    const client = transport()
    const thumbprint = fingerprintOf('service-fabric')
    await client.send(pinned(server.url, thumbprint), undefined)
    await client.send(pinned(server.url, thumbprint), undefined)
    expect(server.requests.map((request) => request.connection)).toEqual([1, 2])
    expect(server.requests[0]?.headers.connection).toBe('close')
  })

  it('does not relax verification for unpinned requests on the same transport', async () => {
    const server = await serveTls('service-fabric', answer)
    const client = transport()
    await expect(
      client.send(pinned(server.url, fingerprintOf('service-fabric')), undefined),
    ).resolves.toMatchObject({ _tag: 'Right' })
    await expect(client.send(get(server.url), undefined)).resolves.toMatchObject(failure('tls'))
    expect(server.requests).toHaveLength(1)
  })
})
