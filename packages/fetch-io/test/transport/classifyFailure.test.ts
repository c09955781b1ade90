import type { HttpRequest } from '@azmi/core'
import { createFetchTransport } from '@azmi/fetch-io'
import { closedPort, resourcesPerTest, signalled } from '@azmi/test-support'
import { describe, expect, it } from 'vitest'

const { serve } = resourcesPerTest()

const SECRET = 'identity-header-5f0c2a9e-secret'

const get = (url: string): HttpRequest => ({
  method: 'GET',
  url,
  headers: { 'X-IDENTITY-HEADER': SECRET, Metadata: 'true' },
  timeoutMs: 10_000,
})

const detailOf = (reply: Awaited<ReturnType<ReturnType<typeof createFetchTransport>['send']>>): string =>
  reply._tag === 'Left' ? reply.left.detail : ''

describe('failures before a response', () => {
  it('reports a refused connection as connect, without the secret header', async () => {
    const port = await closedPort()
    const reply = await createFetchTransport().send(get(`http://127.0.0.1:${port}/token`), undefined)
    expect(reply).toMatchObject({ _tag: 'Left', left: { _tag: 'TransportFailure', kind: 'connect' } })
    expect(detailOf(reply)).toContain('ECONNREFUSED')
    expect(detailOf(reply)).not.toContain(SECRET)
  })

  // The core's interpreter scrubs secrets from every failure detail (core/test/interpret.test.ts).
  it('reports an invalid header value as other, and sends nothing', async () => {
    const server = await serve((_request, response) => response.end())
    const reply = await createFetchTransport().send(
      { ...get(server.url), headers: { Secret: `${SECRET}\r\nInjected: 1` } },
      undefined,
    )
    expect(reply).toMatchObject({ _tag: 'Left', left: { kind: 'other' } })
    expect(server.requests).toEqual([])
  })
})

describe('failures while the body is read', () => {
  it('reports a connection reset mid-body as reset', async () => {
    const headersArrived = signalled()
    const server = await serve((request, response) => {
      response.writeHead(200, { 'content-length': '1000' })
      response.write('{"access_token":"')
      // Cut the connection only once the client holds the headers, so this is a mid-body break.
      void headersArrived.promise.then(() => request.socket.destroy())
    })
    const fetchThenNotify: typeof fetch = async (input) => {
      const response = await fetch(input)
      headersArrived.resolve()
      return response
    }
    const reply = await createFetchTransport({ fetch: fetchThenNotify }).send(get(server.url), undefined)
    expect(reply).toMatchObject({ _tag: 'Left', left: { kind: 'reset' } })
    expect(detailOf(reply)).not.toContain(SECRET)
  })
})
