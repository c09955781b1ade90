import type { Socket } from 'node:net'
import { createServer } from 'node:net'
import { closedPort, resourcesPerTest, signalled, waitUntil } from '@azmi/test-support'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ProxiedEndpoints } from '../support/proxiedEndpoints.js'
import { startProxiedEndpoints, startProxy, startTransport } from '../support/proxiedEndpoints.js'
import { detailOf, failure, get, SECRET } from '../support/requests.js'
import type { ThrowawayPki } from '../support/throwawayPki.js'
import { createThrowawayPki } from '../support/throwawayPki.js'

let pki: ThrowawayPki
beforeAll(() => {
  pki = createThrowawayPki('azmi proxy failures test CA')
})
afterAll(() => pki.remove())

const resources = resourcesPerTest()

/** A password with every character that needs percent-encoding in userinfo. */
const PASSWORD = 'p@ss:w/rd%25 ü'
const CREDENTIALS = { username: 'azmi-user', password: PASSWORD }

const both = async (endpoints: ProxiedEndpoints, env: Record<string, string>) => {
  const transport = startTransport(resources, { env, ca: pki.caPem })
  const request = { headers: { Secret: SECRET } }
  return {
    http: await transport.send(get(endpoints.httpUrl, request), undefined),
    https: await transport.send(get(endpoints.httpsUrl, request), undefined),
  }
}

/** A TCP server standing in for a broken proxy: `onSocket` decides what it does. */
const fakeProxy = async (onSocket: (socket: Socket) => void) => {
  const sockets = new Set<Socket>()
  const server = createServer((socket) => {
    sockets.add(socket)
    socket.once('close', () => sockets.delete(socket))
    socket.on('error', () => socket.destroy())
    onSocket(socket)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as { port: number }).port
  const close = async () => {
    const closed = new Promise<void>((resolve) => server.close(() => resolve()))
    for (const socket of sockets) socket.destroy()
    await closed
  }
  resources.defer(close)
  return { url: `http://127.0.0.1:${port}`, label: `127.0.0.1:${port}`, open: () => sockets.size }
}

describe('a proxy that wants credentials', () => {
  it('without any is a proxy failure saying so, for CONNECT and forwarded requests', async () => {
    const endpoints = await startProxiedEndpoints(pki, resources)
    const proxy = await startProxy(resources, { credentials: CREDENTIALS })
    const outcome = await both(endpoints, { HTTP_PROXY: proxy.url, HTTPS_PROXY: proxy.url })
    expect(outcome).toMatchObject({ http: failure('proxy'), https: failure('proxy') })
    for (const sent of [outcome.http, outcome.https]) {
      expect(detailOf(sent)).toBe(
        `The proxy at 127.0.0.1:${proxy.port} asks for credentials (407) and the proxy URL has none.`,
      )
    }
    expect(proxy.requests.map((request) => request.outcome)).toEqual([
      'credentials-required',
      'credentials-required',
    ])
    expect([endpoints.http.requests.length, endpoints.https.requests.length]).toEqual([0, 0])
  })

  it('with them in the proxy URL (percent-encoded) lets both through', async () => {
    const endpoints = await startProxiedEndpoints(pki, resources)
    const proxy = await startProxy(resources, { credentials: CREDENTIALS })
    const url = proxy.urlWith(CREDENTIALS.username, PASSWORD)
    const outcome = await both(endpoints, { HTTP_PROXY: url, HTTPS_PROXY: url })
    expect(outcome).toMatchObject({ http: { right: { status: 200 } }, https: { right: { status: 200 } } })
    expect(proxy.requests).toMatchObject([
      { method: 'GET', hadProxyAuthorization: true, outcome: 'relayed' },
      { method: 'CONNECT', hadProxyAuthorization: true, outcome: 'relayed' },
    ])
    // inside the tunnel the endpoint sees no proxy credentials
    expect(endpoints.https.requests[0]?.headers).not.toHaveProperty('proxy-authorization')
  })

  it('with wrong ones is a proxy failure that never shows the password', async () => {
    const endpoints = await startProxiedEndpoints(pki, resources)
    const proxy = await startProxy(resources, { credentials: { ...CREDENTIALS, password: 'the right one' } })
    const url = proxy.urlWith(CREDENTIALS.username, PASSWORD)
    const outcome = await both(endpoints, { HTTP_PROXY: url, HTTPS_PROXY: url })
    expect(outcome).toMatchObject({ http: failure('proxy'), https: failure('proxy') })
    expect(detailOf(outcome.https)).toContain('refused the ones in the proxy URL')
    const shown = JSON.stringify(outcome)
    for (const spelling of [PASSWORD, encodeURIComponent(PASSWORD), 'p@ss', CREDENTIALS.username, SECRET]) {
      expect(shown).not.toContain(spelling)
    }
    expect(shown).not.toContain(Buffer.from(`${CREDENTIALS.username}:${PASSWORD}`).toString('base64'))
  })
})

describe('a proxy that will not tunnel', () => {
  it('refusing CONNECT is a proxy failure naming only its host and port', async () => {
    const endpoints = await startProxiedEndpoints(pki, resources)
    const proxy = await startProxy(resources, { connect: 'refuse' })
    const outcome = await both(endpoints, { HTTPS_PROXY: proxy.urlWith('user', PASSWORD) })
    expect(outcome.https).toMatchObject(failure('proxy'))
    expect(detailOf(outcome.https)).toBe(
      `The proxy at 127.0.0.1:${proxy.port} refused the tunnel (status 403).`,
    )
    expect(endpoints.https.requests).toHaveLength(0)
  })

  it('closing at once is a proxy failure', async () => {
    const endpoints = await startProxiedEndpoints(pki, resources)
    const proxy = await startProxy(resources, { connect: 'close' })
    const outcome = await both(endpoints, { HTTPS_PROXY: proxy.url })
    expect(outcome.https).toMatchObject(failure('proxy'))
    expect(detailOf(outcome.https)).toContain('closed the connection before answering CONNECT')
  })

  it('a name the proxy cannot resolve (its 502) is a proxy failure', async () => {
    const proxy = await startProxy(resources)
    const transport = startTransport(resources, { env: { HTTPS_PROXY: proxy.url } })
    const sent = await transport.send(get('https://unknown.test:443/token'), undefined)
    expect(sent).toMatchObject(failure('proxy'))
    expect(detailOf(sent)).toContain('refused the tunnel (status 502)')
    expect(proxy.requests).toMatchObject([
      { method: 'CONNECT', target: 'unknown.test:443', outcome: 'unresolved' },
    ])
  })

  it('an answer that is not HTTP is a proxy failure', async () => {
    const endpoints = await startProxiedEndpoints(pki, resources)
    const broken = await fakeProxy((socket) =>
      socket.once('data', () => socket.write('SSH-2.0-OpenSSH\r\n\r\n')),
    )
    const outcome = await both(endpoints, { HTTPS_PROXY: broken.url })
    expect(outcome.https).toMatchObject(failure('proxy'))
    expect(detailOf(outcome.https)).toContain('something other than HTTP')
  })

  it('bytes after accepting the tunnel, before TLS, are a proxy failure', async () => {
    const endpoints = await startProxiedEndpoints(pki, resources)
    const broken = await fakeProxy((socket) =>
      socket.once('data', () => socket.write('HTTP/1.1 200 OK\r\n\r\nunexpected')),
    )
    const outcome = await both(endpoints, { HTTPS_PROXY: broken.url })
    expect(detailOf(outcome.https)).toContain('sent bytes after accepting the tunnel')
  })
})

describe('a proxy that cannot be reached', () => {
  it('is a proxy failure for https (CONNECT) and http (forwarded) requests alike', async () => {
    const endpoints = await startProxiedEndpoints(pki, resources)
    const port = await closedPort()
    const outcome = await both(endpoints, {
      HTTP_PROXY: `http://127.0.0.1:${port}`,
      HTTPS_PROXY: `127.0.0.1:${port}`,
    })
    expect(outcome).toMatchObject({ http: failure('proxy'), https: failure('proxy') })
    expect(detailOf(outcome.https)).toBe(
      `The proxy at 127.0.0.1:${port} could not be reached (ECONNREFUSED).`,
    )
    expect(detailOf(outcome.http)).toContain(`The proxy at 127.0.0.1:${port} did not answer (ECONNREFUSED`)
  })

  it('whose name does not resolve is a proxy failure too', async () => {
    const transport = startTransport(resources, { env: { HTTPS_PROXY: 'http://proxy.invalid:3128' } })
    const sent = await transport.send(get('https://login.test/token'), undefined)
    expect(sent).toMatchObject(failure('proxy'))
    expect(detailOf(sent)).toMatch(
      /^The proxy at proxy\.invalid:3128 could not be reached \((ENOTFOUND|EAI_AGAIN)\)\.$/,
    )
  })
})

describe('the request`s own deadline and abort cover the CONNECT', () => {
  it('a proxy that never answers CONNECT ends at the request`s timeout, and its socket is closed', async () => {
    // it reads (and ignores) the CONNECT, so that it sees the client close the connection
    const silent = await fakeProxy((socket) => socket.resume())
    const transport = startTransport(resources, { env: { HTTPS_PROXY: silent.url } })
    await expect(
      transport.send(get('https://login.test/token', { timeoutMs: 200 }), undefined),
    ).resolves.toMatchObject(failure('timeout'))
    await waitUntil(() => silent.open() === 0)
  })

  it('aborting while the CONNECT is unanswered settles at once as aborted', async () => {
    const arrived = signalled()
    const silent = await fakeProxy((socket) => socket.once('data', () => arrived.resolve()))
    const transport = startTransport(resources, { env: { HTTPS_PROXY: silent.url } })
    const controller = new AbortController()
    const sent = transport.send(get('https://login.test/token', { timeoutMs: 60_000 }), controller.signal)
    await arrived.promise
    controller.abort()
    await expect(sent).resolves.toMatchObject(failure('aborted'))
    await waitUntil(() => silent.open() === 0)
  })
})

describe('an unusable proxy URL', () => {
  it('fails the request as proxy, naming the variable and never its value', async () => {
    const transport = startTransport(resources, {
      env: { HTTPS_PROXY: `https://user:${PASSWORD}@proxy.corp` },
    })
    const sent = await transport.send(get('https://login.test/token'), undefined)
    expect(sent).toMatchObject(failure('proxy'))
    expect(detailOf(sent)).toContain('HTTPS_PROXY is not a usable proxy URL')
    expect(JSON.stringify(sent)).not.toContain('p@ss')
  })
})
