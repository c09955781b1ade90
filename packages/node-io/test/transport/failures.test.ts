import type { ServerResponse } from 'node:http'
import { closedPort, type Handler, resourcesPerTest, signalled } from '@azmi/test-support'
import { describe, expect, it } from 'vitest'
import type { NodeTransportOptions } from '../../src/index.js'
import { DEFAULT_MAX_RESPONSE_BYTES } from '../../src/index.js'
import { startTransport } from '../support/proxiedEndpoints.js'
import { failure, get, SECRET } from '../support/requests.js'

const resources = resourcesPerTest()
const { serve } = resources
const transport = (options: NodeTransportOptions = {}) => startTransport(resources, options)

/** Writes `chunk` every few milliseconds until the client goes away. */
const trickle = (response: ServerResponse, chunk: string): void => {
  const timer = setInterval(() => response.write(chunk), 20)
  response.on('close', () => clearInterval(timer))
}

describe('timeout', () => {
  it('when the headers never come', async () => {
    const server = await serve(() => undefined)
    await expect(transport().send(get(server.url, { timeoutMs: 150 }), undefined)).resolves.toMatchObject(
      failure('timeout'),
    )
  })

  it('when the body trickles past the deadline (one deadline, not one per chunk)', async () => {
    const server = await serve((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/plain' })
      trickle(response, 'x')
    })
    await expect(transport().send(get(server.url, { timeoutMs: 300 }), undefined)).resolves.toMatchObject(
      failure('timeout'),
    )
  })
})

describe('abort', () => {
  it('before the request: nothing is sent', async () => {
    const server = await serve((_request, response) => response.end())
    const controller = new AbortController()
    controller.abort()
    await expect(transport().send(get(server.url), controller.signal)).resolves.toMatchObject(
      failure('aborted'),
    )
    expect(server.connections()).toBe(0)
  })

  it('while waiting for the headers settles at once (the deadline is a minute away)', async () => {
    const arrived = signalled()
    const server = await serve(() => arrived.resolve())
    const controller = new AbortController()
    const reply = transport().send(get(server.url, { timeoutMs: 60_000 }), controller.signal)
    await arrived.promise
    controller.abort()
    await expect(reply).resolves.toMatchObject(failure('aborted'))
    // the connection is destroyed, not left open until the deadline
    await server.connectionsClosed()
  })

  it('while the body streams', async () => {
    const controller = new AbortController()
    const server = await serve((_request, response) => {
      response.writeHead(200)
      response.write('partial', () => controller.abort())
      trickle(response, 'x')
    })
    await expect(
      transport().send(get(server.url, { timeoutMs: 60_000 }), controller.signal),
    ).resolves.toMatchObject(failure('aborted'))
    await server.connectionsClosed()
  })
})

describe('connection failures', () => {
  it('refused', async () => {
    const url = `http://127.0.0.1:${await closedPort()}/token`
    await expect(transport().send(get(url), undefined)).resolves.toMatchObject(failure('connect'))
  })

  // Closed before any reply byte is "nothing answered", as fetch reports it too.
  it('reset before the headers is connect', async () => {
    const server = await serve((request) => request.socket.resetAndDestroy())
    await expect(transport().send(get(server.url), undefined)).resolves.toMatchObject(failure('connect'))
  })

  it('closed before the headers is connect', async () => {
    const server = await serve((request) => request.socket.destroy())
    await expect(transport().send(get(server.url), undefined)).resolves.toMatchObject(failure('connect'))
  })

  it('closed mid-body', async () => {
    const server = await serve((request, response) => {
      response.writeHead(200, { 'content-length': '1000' })
      response.write('x'.repeat(10), () => request.socket.destroy())
    })
    await expect(transport().send(get(server.url), undefined)).resolves.toMatchObject(failure('reset'))
  })

  it('a pooled socket the server drops is retried once on a new connection', async () => {
    const server = await serve((_request, response, recorded) => {
      // the second request on a connection finds it closed, as when a keep-alive times out
      const onThisConnection = server.requests.filter((r) => r.connection === recorded.connection)
      if (onThisConnection.length > 1) response.socket?.destroy()
      else response.end('fresh')
    })
    const client = transport()
    await expect(client.send(get(server.url), undefined)).resolves.toMatchObject({ right: { body: 'fresh' } })
    await expect(client.send(get(server.url), undefined)).resolves.toMatchObject({ right: { body: 'fresh' } })
    expect(server.requests.map((r) => r.connection)).toEqual([1, 1, 2])
  })

  it('a connection that fails twice is not retried forever', async () => {
    const server = await serve((_request, response, recorded) => {
      if (recorded.connection === 1 && server.requests.length === 1) response.end('fresh')
      else response.socket?.destroy()
    })
    const client = transport()
    await client.send(get(server.url), undefined)
    await expect(client.send(get(server.url), undefined)).resolves.toMatchObject(failure('connect'))
    expect(server.requests).toHaveLength(3)
  })
})

describe('reply size cap', () => {
  it('is 1 MiB by default', () => {
    expect(DEFAULT_MAX_RESPONSE_BYTES).toBe(1_048_576)
  })

  it('stops a streamed body the moment it passes 1 MiB', async () => {
    const server = await serve((_request, response) => {
      response.writeHead(200) // no content-length: chunked, size unknown in advance
      trickle(response, 'x'.repeat(65_536))
    })
    await expect(transport().send(get(server.url), undefined)).resolves.toMatchObject(
      failure('response-too-large'),
    )
  })

  it('refuses at once a content-length over the cap, before any body byte', async () => {
    // the server announces 2 MiB and sends nothing: waiting for the body would time out instead
    const server = await serve((_request, response) => {
      response.writeHead(200, { 'content-length': String(2 * 1_048_576) })
      response.flushHeaders()
    })
    await expect(transport().send(get(server.url, { timeoutMs: 60_000 }), undefined)).resolves.toMatchObject(
      failure('response-too-large'),
    )
  })

  it('accepts a body of exactly the cap and refuses one byte more', async () => {
    const server = await serve((request, response) => {
      response.end('y'.repeat(request.url === '/exact' ? 1_024 : 1_025))
    })
    const client = transport({ maxResponseBytes: 1_024 })
    await expect(client.send(get(`${server.url}/exact`), undefined)).resolves.toMatchObject({ _tag: 'Right' })
    await expect(client.send(get(`${server.url}/over`), undefined)).resolves.toMatchObject(
      failure('response-too-large'),
    )
  })

  it('applies to a streamed body of exactly 1 MiB + 1', async () => {
    const server = await serve((_request, response) => {
      response.write('z'.repeat(DEFAULT_MAX_RESPONSE_BYTES))
      response.end('z')
    })
    await expect(transport().send(get(server.url), undefined)).resolves.toMatchObject(
      failure('response-too-large'),
    )
  })
})

describe('failure details never carry request headers or bodies', () => {
  const secretRequest = (url: string, timeoutMs = 10_000) =>
    get(url, { method: 'POST', headers: { Secret: SECRET }, body: `client_assertion=${SECRET}`, timeoutMs })

  it.each([
    ['timeout', 150, () => undefined],
    ['connect', 10_000, (request) => request.socket.destroy()],
  ] satisfies Array<[string, number, Handler]>)('%s', async (kind, timeoutMs, handler) => {
    const server = await serve(handler)
    const reply = await transport().send(secretRequest(server.url, timeoutMs), undefined)
    expect(reply).toMatchObject(failure(kind))
    expect(JSON.stringify(reply)).not.toContain(SECRET)
  })

  it('connect (refused)', async () => {
    const reply = await transport().send(secretRequest(`http://127.0.0.1:${await closedPort()}`), undefined)
    expect(reply).toMatchObject(failure('connect'))
    expect(JSON.stringify(reply)).not.toContain(SECRET)
  })
})
