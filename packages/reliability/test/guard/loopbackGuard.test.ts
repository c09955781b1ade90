/**
 * The loopback guard every project runs (`@azmi/test-support`'s `loopbackGuardSetup.ts`) trips:
 * a connection to 192.0.2.1 (TEST-NET-1, reserved for documentation: nothing answers there)
 * through `net`, `http`, `https` and `fetch` is refused before any SYN, and named. Each
 * test takes the violations it caused, so the guard's own `afterEach` does not fail it; what
 * loopback tests legitimately use (127.0.0.1, `::1`, `localhost`, unix sockets, a name the test
 * proxy resolves) passes untouched.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { get as httpGet } from 'node:http'
import { get as httpsGet } from 'node:https'
import { connect, createServer, type LookupFunction, type Socket } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ManagedIdentityCredential } from '@azmi/node-io'
import { LOOPBACK_ONLY, startConnectProxy, takeLoopbackViolations } from '@azmi/test-support'
import { afterAll, describe, expect, test } from 'vitest'
import { ipv6LoopbackAvailable } from '../support/ipv6Proxy.js'

const OUTSIDE = '192.0.2.1'
const hasIpv6Loopback = await ipv6LoopbackAvailable()

/** A `lookup` that resolves every name to `address` (asynchronously, as DNS answers). */
const resolvesTo =
  (address: string): LookupFunction =>
  (_host, options, callback) => {
    const answer = callback as (error: null, address: unknown, family?: number) => void
    setImmediate(() =>
      options.all === true ? answer(null, [{ address, family: 4 }]) : answer(null, address, 4),
    )
  }

/** The error a socket or request ends with, and whether it ever tried to connect. */
const outcomeOf = (
  emitter: Socket | ReturnType<typeof httpGet>,
): Promise<{ code: unknown; tried: boolean }> =>
  new Promise((resolve) => {
    let tried = false
    const watch = (socket: Socket) =>
      socket.on('connectionAttempt', () => {
        tried = true
      })
    if ('connecting' in emitter) watch(emitter)
    else emitter.once('socket', watch)
    emitter.once('error', (error: NodeJS.ErrnoException) => resolve({ code: error.code, tried }))
  })

describe('the loopback guard refuses, before any SYN', () => {
  test('net.connect to an address outside loopback', async () => {
    await expect(outcomeOf(connect(443, OUTSIDE))).resolves.toEqual({ code: LOOPBACK_ONLY, tried: false })
    expect(takeLoopbackViolations()).toEqual([{ via: 'net', host: OUTSIDE, address: OUTSIDE }])
  })

  test('net.connect to a name that resolves outside loopback', async () => {
    const socket = connect({ host: 'elsewhere.test', port: 443, lookup: resolvesTo(OUTSIDE) })
    await expect(outcomeOf(socket)).resolves.toEqual({ code: LOOPBACK_ONLY, tried: false })
    expect(takeLoopbackViolations()).toEqual([{ via: 'net', host: 'elsewhere.test', address: OUTSIDE }])
  })

  test('http', async () => {
    await expect(outcomeOf(httpGet(`http://${OUTSIDE}/token`))).resolves.toMatchObject({
      code: LOOPBACK_ONLY,
    })
    expect(takeLoopbackViolations()).toEqual([{ via: 'net', host: OUTSIDE, address: OUTSIDE }])
  })

  test('https, to an address and to a name resolving outside loopback', async () => {
    await expect(outcomeOf(httpsGet(`https://${OUTSIDE}/token`))).resolves.toEqual({
      code: LOOPBACK_ONLY,
      tried: false,
    })
    const named = httpsGet({ host: 'elsewhere.test', path: '/token', lookup: resolvesTo(OUTSIDE) })
    await expect(outcomeOf(named)).resolves.toEqual({ code: LOOPBACK_ONLY, tried: false })
    expect(takeLoopbackViolations()).toEqual([
      { via: 'https', host: OUTSIDE, address: OUTSIDE },
      { via: 'https', host: 'elsewhere.test', address: OUTSIDE },
    ])
  })

  test('a credential pointed outside loopback fails, and the guard names the address', async () => {
    const env = { AZURE_POD_IDENTITY_AUTHORITY_HOST: `http://${OUTSIDE}` }
    const credential = new ManagedIdentityCredential({ env, retry: { maxRetries: 0 } })
    await expect(credential.getToken('https://vault.azure.net/.default')).rejects.toThrow(LOOPBACK_ONLY)
    expect(takeLoopbackViolations()).toEqual([{ via: 'net', host: OUTSIDE, address: OUTSIDE }])
  })

  test('fetch, which opens its socket with net.connect: refused, and recorded as a fetch too', async () => {
    const failure = await fetch(`http://${OUTSIDE}:8080/token`).catch((error: Error) => error.cause)
    expect(failure).toMatchObject({ code: LOOPBACK_ONLY })
    expect(takeLoopbackViolations()).toEqual([
      { via: 'fetch', host: OUTSIDE, address: OUTSIDE },
      { via: 'net', host: OUTSIDE, address: OUTSIDE },
    ])
  })
})

describe('the loopback guard lets loopback through', () => {
  const directory = mkdtempSync(join(tmpdir(), 'azmi-guard-'))
  afterAll(() => rmSync(directory, { recursive: true, force: true }))

  const echo = async (listen: (server: ReturnType<typeof createServer>) => void) => {
    const server = createServer((socket) => socket.end('hello'))
    await new Promise<void>((resolve) => {
      server.once('listening', resolve)
      listen(server)
    })
    return server
  }
  const read = (socket: Socket): Promise<string> =>
    new Promise((resolve, reject) => {
      let text = ''
      socket.on('data', (chunk: Buffer) => {
        text += chunk.toString()
      })
      socket.once('end', () => resolve(text))
      socket.once('error', reject)
    })

  test('127.0.0.1, localhost and a unix socket', async () => {
    const tcp = await echo((server) => server.listen(0, '127.0.0.1'))
    const port = (tcp.address() as { port: number }).port
    const path = join(directory, 'guard.sock')
    const unix = await echo((server) => server.listen(path))
    await expect(read(connect(port, '127.0.0.1'))).resolves.toBe('hello')
    await expect(read(connect({ host: 'localhost', port, family: 4 }))).resolves.toBe('hello')
    await expect(read(connect(path))).resolves.toBe('hello')
    await new Promise((resolve) => tcp.close(resolve))
    await new Promise((resolve) => unix.close(resolve))
    expect(takeLoopbackViolations()).toEqual([])
  })

  test.skipIf(!hasIpv6Loopback)('::1', async () => {
    const tcp = await echo((server) => server.listen(0, '::1'))
    const port = (tcp.address() as { port: number }).port
    await expect(read(connect(port, '::1'))).resolves.toBe('hello')
    await new Promise((resolve) => tcp.close(resolve))
    expect(takeLoopbackViolations()).toEqual([])
  })

  test('a name only the test proxy resolves, through that proxy', async () => {
    const target = await echo((server) => server.listen(0, '127.0.0.1'))
    const port = (target.address() as { port: number }).port
    const proxy = await startConnectProxy({ hosts: { 'login.test': '127.0.0.1' } })
    const tunnel = connect(proxy.port, '127.0.0.1')
    tunnel.write(`CONNECT login.test:${port} HTTP/1.1\r\nHost: login.test:${port}\r\n\r\n`)
    await expect(read(tunnel)).resolves.toMatch(/^HTTP\/1\.1 200 [\s\S]*hello$/)
    await proxy.close()
    await new Promise((resolve) => target.close(resolve))
    expect(proxy.requests).toMatchObject([{ target: `login.test:${port}`, outcome: 'relayed' }])
    expect(takeLoopbackViolations()).toEqual([])
  })
})
