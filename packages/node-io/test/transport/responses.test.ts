import { resourcesPerTest } from '@azmi/test-support'
import { describe, expect, it } from 'vitest'
import { startTransport } from '../support/proxiedEndpoints.js'
import { get } from '../support/requests.js'

const resources = resourcesPerTest()
const { serve } = resources
const transport = () => startTransport(resources)

describe('replies are returned whatever their status', () => {
  it.each([200, 400, 404, 410, 429, 500, 503])('status %i', async (status) => {
    const server = await serve((_request, response) => {
      response.writeHead(status, { 'content-type': 'application/json' }).end(`{"status":${status}}`)
    })
    await expect(transport().send(get(`${server.url}/token?resource=x`), undefined)).resolves.toMatchObject({
      _tag: 'Right',
      right: { status, body: `{"status":${status}}`, headers: { 'content-type': 'application/json' } },
    })
    expect(server.requests).toMatchObject([{ method: 'GET', url: '/token?resource=x' }])
  })

  it('returns a 302 without following it; the target never hears of the request', async () => {
    const target = await serve((_request, response) => response.end('followed'))
    const redirecting = await serve((_request, response) => {
      response.writeHead(302, { location: `${target.url}/elsewhere` }).end()
    })
    await expect(transport().send(get(`${redirecting.url}/token`), undefined)).resolves.toMatchObject({
      _tag: 'Right',
      right: { status: 302, headers: { location: `${target.url}/elsewhere` }, body: '' },
    })
    expect(target.requests).toHaveLength(0)
    expect(target.connections()).toBe(0)
  })

  it('sends the request headers as given', async () => {
    const server = await serve((_request, response) => response.end())
    await transport().send(
      get(server.url, { headers: { Metadata: 'true', 'X-IDENTITY-HEADER': 'h' } }),
      undefined,
    )
    expect(server.requests[0]?.headers).toMatchObject({ metadata: 'true', 'x-identity-header': 'h' })
  })
})

describe('reply headers', () => {
  it('are lower-cased, and repeated ones joined with ", "', async () => {
    const server = await serve((_request, response) => {
      response.setHeader('WWW-Authenticate', 'Basic realm=/var/opt/azcmagent/tokens/x.key')
      response.setHeader('X-Repeated', ['first', 'second'])
      response.setHeader('Set-Cookie', ['a=1', 'b=2'])
      response.setHeader('Retry-After', '3')
      response.end()
    })
    const reply = await transport().send(get(server.url), undefined)
    expect(reply).toMatchObject({
      _tag: 'Right',
      right: {
        headers: {
          'www-authenticate': 'Basic realm=/var/opt/azcmagent/tokens/x.key',
          'x-repeated': 'first, second',
          'set-cookie': 'a=1, b=2',
          'retry-after': '3',
        },
      },
    })
    const names = reply._tag === 'Right' ? Object.keys(reply.right.headers) : []
    expect(names.filter((name) => name !== name.toLowerCase())).toEqual([])
  })
})

describe('request bodies', () => {
  it('are sent as UTF-8 with their byte length as content-length', async () => {
    const server = await serve((_request, response) => response.end('ok'))
    const body = 'resource=https%3A%2F%2Fvault.azure.net&note=r\u00e9sum\u00e9 \u2713'
    const request = {
      ...get(server.url),
      method: 'POST' as const,
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'Content-Length': '1' },
      body,
    }
    await expect(transport().send(request, undefined)).resolves.toMatchObject({ right: { status: 200 } })
    expect(server.requests[0]).toMatchObject({
      method: 'POST',
      body,
      headers: { 'content-length': String(Buffer.byteLength(body, 'utf8')) },
    })
    expect(server.requests[0]?.headers['transfer-encoding']).toBeUndefined()
  })

  it('a POST without a body says content-length 0', async () => {
    const server = await serve((_request, response) => response.end())
    await transport().send({ ...get(server.url), method: 'POST' }, undefined)
    expect(server.requests[0]).toMatchObject({ body: '', headers: { 'content-length': '0' } })
  })

  it('a GET without a body sends no content-length', async () => {
    const server = await serve((_request, response) => response.end())
    await transport().send(get(server.url), undefined)
    expect(server.requests[0]?.headers).not.toHaveProperty('content-length')
  })
})

describe('reply bodies', () => {
  it('decode UTF-8 split across chunks', async () => {
    const text = '\u00e9\u2713\u{1f510}'.repeat(5_000)
    const server = await serve((_request, response) => {
      const bytes = Buffer.from(text, 'utf8')
      // odd-sized chunks cut multi-byte characters in half
      for (let at = 0; at < bytes.length; at += 997) response.write(bytes.subarray(at, at + 997))
      response.end()
    })
    await expect(transport().send(get(server.url), undefined)).resolves.toMatchObject({
      right: { body: text },
    })
  })
})

describe('requests refused before connecting', () => {
  it.each(['not a url', 'ftp://127.0.0.1/x', '/relative'])('%s', async (url) => {
    await expect(transport().send(get(url), undefined)).resolves.toMatchObject({
      _tag: 'Left',
      left: { _tag: 'TransportFailure', kind: 'other' },
    })
  })

  it('a header value with a line break, without quoting it', async () => {
    const server = await serve((_request, response) => response.end())
    const reply = await transport().send(
      get(server.url, { headers: { Secret: 'a\r\nInjected: yes' } }),
      undefined,
    )
    expect(reply).toMatchObject({ _tag: 'Left', left: { kind: 'other' } })
    expect(JSON.stringify(reply)).not.toContain('Injected')
    expect(server.requests).toHaveLength(0)
  })
})
