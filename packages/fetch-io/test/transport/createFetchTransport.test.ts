import type { HttpRequest } from '@azmi/core'
import { createFetchTransport } from '@azmi/fetch-io'
import { resourcesPerTest } from '@azmi/test-support'
import { describe, expect, it } from 'vitest'

const { serve } = resourcesPerTest()

const get = (url: string, extra: Partial<HttpRequest> = {}): HttpRequest => ({
  method: 'GET',
  url,
  headers: {},
  timeoutMs: 10_000,
  ...extra,
})

describe('createFetchTransport over a real server', () => {
  it.each([200, 400, 404, 500, 503])('returns a %i reply as a response, body and all', async (status) => {
    const server = await serve((_request, response) => {
      response.writeHead(status, { 'content-type': 'application/json' })
      response.end(`{"status":${status}}`)
    })
    const reply = await createFetchTransport().send(get(`${server.url}/token`), undefined)
    expect(reply).toMatchObject({ _tag: 'Right', right: { status, body: `{"status":${status}}` } })
  })

  it('returns a 302 as it is and never contacts the redirect target', async () => {
    const target = await serve((_request, response) => response.end('followed'))
    const redirecting = await serve((_request, response) => {
      response.writeHead(302, { Location: `${target.url}/elsewhere` })
      response.end()
    })
    const reply = await createFetchTransport().send(get(`${redirecting.url}/token`), undefined)
    expect(reply).toMatchObject({
      _tag: 'Right',
      right: { status: 302, headers: { location: `${target.url}/elsewhere` } },
    })
    expect(target.requests).toEqual([])
  })

  it('lower-cases reply header names and keeps their values', async () => {
    const server = await serve((_request, response) => {
      response.setHeader('WWW-Authenticate', 'Basic realm=/var/opt/azcmagent/tokens/abc.key')
      response.setHeader('X-Mixed-Case', 'Value-Kept')
      response.end()
    })
    const reply = await createFetchTransport().send(get(server.url), undefined)
    expect(reply._tag).toBe('Right')
    const headers = reply._tag === 'Right' ? reply.right.headers : {}
    expect(headers).toMatchObject({
      'www-authenticate': 'Basic realm=/var/opt/azcmagent/tokens/abc.key',
      'x-mixed-case': 'Value-Kept',
    })
    expect(Object.keys(headers).every((name) => name === name.toLowerCase())).toBe(true)
  })

  it('sends the method, headers and body of the request', async () => {
    const server = await serve((request, response, { body }) => {
      response.end(
        JSON.stringify({
          method: request.method,
          metadata: request.headers.metadata,
          type: request.headers['content-type'],
          body,
        }),
      )
    })
    const reply = await createFetchTransport().send(
      {
        method: 'POST',
        url: `${server.url}/oauth2/token`,
        headers: { Metadata: 'true', 'Content-Type': 'application/x-www-form-urlencoded' },
        body: 'resource=https%3A%2F%2Fvault.azure.net',
        timeoutMs: 10_000,
      },
      undefined,
    )
    expect(reply._tag).toBe('Right')
    expect(JSON.parse(reply._tag === 'Right' ? reply.right.body : '{}')).toEqual({
      method: 'POST',
      metadata: 'true',
      type: 'application/x-www-form-urlencoded',
      body: 'resource=https%3A%2F%2Fvault.azure.net',
    })
  })

  it('decodes UTF-8 whose characters are split across chunks', async () => {
    const bytes = Buffer.from('{"name":"é€😀"}', 'utf8')
    const server = await serve((_request, response) => {
      response.writeHead(200)
      // one byte per write: every multi-byte character straddles a chunk boundary
      const writeFrom = (index: number): void => {
        if (index === bytes.length) response.end()
        else response.write(bytes.subarray(index, index + 1), () => writeFrom(index + 1))
      }
      writeFrom(0)
    })
    const reply = await createFetchTransport().send(get(server.url), undefined)
    expect(reply).toMatchObject({ _tag: 'Right', right: { body: '{"name":"é€😀"}' } })
  })
})

describe('createFetchTransport with pinning', () => {
  it('refuses a pinned request with pinning-unsupported, before anything is sent', async () => {
    const server = await serve((_request, response) => response.end('should not be reached'))
    const calls: unknown[] = []
    const spyFetch: typeof fetch = async (input) => {
      calls.push(input)
      return globalThis.fetch(input)
    }
    const reply = await createFetchTransport({ fetch: spyFetch }).send(
      get(`${server.url}/sf`, { tls: { sha1Thumbprint: 'A'.repeat(40) } }),
      undefined,
    )
    expect(reply).toMatchObject({
      _tag: 'Left',
      left: { _tag: 'TransportFailure', kind: 'pinning-unsupported' },
    })
    const detail = reply._tag === 'Left' ? reply.left.detail : ''
    expect(detail).toContain('cannot pin')
    expect(detail).toContain('`send` option')
    expect(calls).toEqual([])
    expect(server.requests).toEqual([])
  })
})

describe('createFetchTransport with an injected fetch', () => {
  it('calls the injected fetch, not the global one', async () => {
    const server = await serve((_request, response) => response.end('the real server'))
    const seen: Array<{ url: string; redirect: string; method: string }> = []
    const fakeFetch: typeof fetch = async (input) => {
      const request = input as Request
      seen.push({ url: request.url, redirect: request.redirect, method: request.method })
      return new Response('faked', { status: 201, headers: { 'X-Faked': 'yes' } })
    }
    const reply = await createFetchTransport({ fetch: fakeFetch }).send(get(`${server.url}/token`), undefined)
    expect(reply).toMatchObject({
      _tag: 'Right',
      right: { status: 201, body: 'faked', headers: { 'x-faked': 'yes' } },
    })
    expect(seen).toEqual([{ url: `${server.url}/token`, redirect: 'manual', method: 'GET' }])
    expect(server.requests).toEqual([])
  })

  it('calls the injected fetch bare, so a fetch that insists on its own `this` works', async () => {
    // Browsers and workerd throw "Illegal invocation" when fetch is called as a method of
    // another object; a strict-mode function sees `this` as undefined only when called bare.
    const thisValues: unknown[] = []
    const fakeFetch = function (this: unknown): Promise<Response> {
      thisValues.push(this)
      return Promise.resolve(new Response('ok'))
    } as unknown as typeof fetch
    await createFetchTransport({ fetch: fakeFetch }).send(get('http://127.0.0.1:9/'), undefined)
    expect(thisValues).toEqual([undefined])
  })

  it('reports a redirect hidden as an opaque-redirect response as a clear failure', async () => {
    // What a browser's fetch returns for a 3xx under `redirect: 'manual'`; Response cannot be
    // constructed with status 0, so the fake is a look-alike.
    const opaque = {
      type: 'opaqueredirect',
      status: 0,
      headers: new Headers(),
      body: null,
    } as unknown as Response
    const reply = await createFetchTransport({ fetch: async () => opaque }).send(
      get('http://127.0.0.1:9/'),
      undefined,
    )
    expect(reply).toMatchObject({ _tag: 'Left', left: { kind: 'other' } })
    expect(reply._tag === 'Left' ? reply.left.detail : '').toContain('opaque-redirect')
  })

  it('reports a fetch that throws something other than a TypeError as other', async () => {
    const reply = await createFetchTransport({
      fetch: () => {
        throw new RangeError('a bug in the injected fetch')
      },
    }).send(get('http://127.0.0.1:9/'), undefined)
    expect(reply).toMatchObject({ _tag: 'Left', left: { kind: 'other' } })
  })
})
