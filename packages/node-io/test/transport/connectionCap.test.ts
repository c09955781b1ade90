import type { IncomingMessage, Server, ServerResponse } from 'node:http'
import { createServer as createHttpServer } from 'node:http'
import { createServer as createHttpsServer } from 'node:https'
import type { AddressInfo, Socket } from 'node:net'
import type { HttpRequest } from '@azmi/core'
import { type KeyPair, keyPair, readCert, resourcesPerTest, waitUntil } from '@azmi/test-support'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTransport } from '../support/proxiedEndpoints.js'
import { failure, get } from '../support/requests.js'
import type { ThrowawayPki } from '../support/throwawayPki.js'
import { createThrowawayPki, thumbprintOf } from '../support/throwawayPki.js'

/**
 * The pinned server's certificate: a P-256 one from a throwaway CA rather than the emulator's
 * RSA cluster certificate, because every pinned request does a full handshake of its own.
 */
let pki: ThrowawayPki
let cluster: KeyPair
beforeAll(() => {
  pki = createThrowawayPki('azmi connection cap test CA')
  cluster = pki.issue(['cluster.sf.test'])
})
afterAll(() => pki.remove())

const resources = resourcesPerTest()

/** The per-origin cap (docs/protocol.md §5) of every endpoint; IMDS has its own, lower, limiter. */
const CAP = 16
const REQUESTS = 200

interface CountingServer {
  readonly url: string
  /** The most TCP connections that were open at the same time, as the server saw them. */
  readonly peakOpen: () => number
  readonly accepted: () => number
  /** Requests still held (see `hold`). */
  readonly held: () => number
  readonly close: () => Promise<void>
}

type Hold = (request: IncomingMessage) => boolean

/**
 * A server that answers each request a moment later (or never, when `hold` says so), so that
 * concurrent requests overlap, and counts the connections open at once.
 */
const countingServer = async (tls?: KeyPair, hold: Hold = () => false): Promise<CountingServer> => {
  let open = 0
  let peakOpen = 0
  let accepted = 0
  let held = 0
  const sockets = new Set<Socket>()
  const handler = (request: IncomingMessage, response: ServerResponse): void => {
    if (hold(request)) {
      held += 1
      response.once('close', () => {
        held -= 1
      })
    } else {
      setTimeout(() => response.end('{}'), 2)
    }
  }
  const server: Server = tls === undefined ? createHttpServer(handler) : createHttpsServer(tls, handler)
  server.on('connection', (socket: Socket) => {
    accepted += 1
    open += 1
    peakOpen = Math.max(peakOpen, open)
    sockets.add(socket)
    socket.once('close', () => {
      open -= 1
      sockets.delete(socket)
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  const close = async () => {
    const closed = new Promise<void>((resolve) => server.close(() => resolve()))
    for (const socket of sockets) socket.destroy()
    await closed
  }
  resources.defer(close)
  return {
    url: `${tls === undefined ? 'http' : 'https'}://127.0.0.1:${port}`,
    peakOpen: () => peakOpen,
    accepted: () => accepted,
    held: () => held,
    close,
  }
}

const transport = () => startTransport(resources, { ca: readCert('ca.pem') })

const pinned = (url: string, extra: Partial<HttpRequest> = {}): HttpRequest =>
  get(url, { tls: { sha1Thumbprint: thumbprintOf(cluster.cert) }, ...extra })

const ok = { _tag: 'Right', right: { status: 200 } }

describe(`${REQUESTS} concurrent requests to one origin open at most ${CAP} connections`, () => {
  // 200 pinned requests are 200 full TLS handshakes: the test's limit is a hang guard for a
  // loaded machine, not a claim about speed
  it.each([
    ['pooled http', undefined, (url: string) => get(url)],
    ['pooled https', keyPair('server'), (url: string) => get(url)],
    ['pinned https (a connection of its own each)', 'cluster', (url: string) => pinned(url)],
  ] as const)('%s', { timeout: 60_000 }, async (_kind, tls, request) => {
    const server = await countingServer(tls === 'cluster' ? cluster : tls)
    const client = transport()
    const replies = await Promise.all(
      Array.from({ length: REQUESTS }, () => client.send(request(server.url), undefined)),
    )
    expect(replies.filter((reply) => reply._tag === 'Right')).toHaveLength(REQUESTS)
    expect(server.peakOpen()).toBeLessThanOrEqual(CAP)
    // they did run side by side, so the cap is what held the count down
    expect(server.peakOpen()).toBeGreaterThan(1)
  })

  it('and the pooled agents reach exactly the cap, reusing those connections', async () => {
    const server = await countingServer()
    const client = transport()
    await Promise.all(Array.from({ length: REQUESTS }, () => client.send(get(server.url), undefined)))
    expect([server.peakOpen(), server.accepted()]).toEqual([CAP, CAP])
  })
})

describe('a request waiting for a place', () => {
  /** Fill every place of the pinned origin with requests the server holds. */
  const fillPlaces = async () => {
    const server = await countingServer(cluster, (request) => request.headers['x-hold'] === 'yes')
    const client = transport()
    const controller = new AbortController()
    const holding = Array.from({ length: CAP }, () =>
      client.send(pinned(server.url, { headers: { 'x-hold': 'yes' } }), controller.signal),
    )
    await waitUntil(() => server.held() === CAP)
    return { server, client, release: () => controller.abort(), holding }
  }

  it('ends at its own timeout, and never reaches the server', async () => {
    const { server, client, release, holding } = await fillPlaces()
    await expect(client.send(pinned(server.url, { timeoutMs: 100 }), undefined)).resolves.toMatchObject(
      failure('timeout'),
    )
    expect(server.accepted()).toBe(CAP)
    release()
    await Promise.all(holding)
  })

  it('ends at once when aborted, and never reaches the server', async () => {
    const { server, client, release, holding } = await fillPlaces()
    const controller = new AbortController()
    const waiting = client.send(pinned(server.url), controller.signal)
    controller.abort()
    await expect(waiting).resolves.toMatchObject(failure('aborted'))
    expect(server.accepted()).toBe(CAP)
    release()
    await Promise.all(holding)
  })

  it('gets the first place that frees up, and a place given up by a failed wait is not lost', async () => {
    const { server, client, release, holding } = await fillPlaces()
    await client.send(pinned(server.url, { timeoutMs: 50 }), undefined)
    const waiting = client.send(pinned(server.url), undefined)
    release()
    await expect(waiting).resolves.toMatchObject(ok)
    await Promise.all(holding)
    // every place is free again: a full set of new requests goes through at once
    const again = await Promise.all(
      Array.from({ length: CAP }, () => client.send(pinned(server.url), undefined)),
    )
    expect(again.every((reply) => reply._tag === 'Right')).toBe(true)
  })

  it('and close() ends the connections holding the places, which are free again afterwards', async () => {
    const { server, client, holding } = await fillPlaces()
    client.close()
    const ended = await Promise.all(holding)
    expect(ended.every((reply) => reply._tag === 'Left')).toBe(true)
    await expect(client.send(pinned(server.url), undefined)).resolves.toMatchObject(ok)
  })

  it('is not held up by a full origin elsewhere', async () => {
    const { client, release, holding } = await fillPlaces()
    const other = await countingServer(cluster)
    await expect(client.send(pinned(other.url), undefined)).resolves.toMatchObject(ok)
    release()
    await Promise.all(holding)
  })
})
