/**
 * Small real servers on 127.0.0.1 for the tests: an HTTP or HTTPS server that records every
 * request that reached it (so a test can assert that one was, or was never, received), a TLS
 * server that only counts the bytes it decrypts, and a port where nothing listens. Their
 * certificates come from `packages/emulator/certs`, which name `localhost` and `127.0.0.1`.
 */
import { readFileSync } from 'node:fs'
import type { IncomingHttpHeaders, IncomingMessage, Server, ServerResponse } from 'node:http'
import { createServer as createHttpServer } from 'node:http'
import { createServer as createHttpsServer } from 'node:https'
import type { AddressInfo, Socket } from 'node:net'
import { createServer as createTlsServer } from 'node:tls'

/** One request as a {@link TestServer} received it. */
export interface ReceivedRequest {
  readonly method: string | undefined
  readonly url: string | undefined
  readonly headers: IncomingHttpHeaders
  /** Which TCP connection carried the request (1 for the first the server accepted). */
  readonly connection: number
  /** Filled in once the whole body arrived. */
  body: string
}

/** What answers a request, called once its whole body has arrived (`received.body`). */
export type Handler = (request: IncomingMessage, response: ServerResponse, received: ReceivedRequest) => void

/** A running server of {@link startServer}. */
export interface TestServer {
  /** `http://127.0.0.1:PORT`, or `https://` with a certificate. */
  readonly url: string
  /** Every request that reached the server, in order. */
  readonly requests: ReadonlyArray<ReceivedRequest>
  /** TCP connections accepted so far. */
  readonly connections: () => number
  /** Resolves once every connection accepted so far has closed. */
  readonly connectionsClosed: () => Promise<void>
  /** Drop every connection and stop listening. */
  readonly close: () => Promise<void>
}

/** A certificate and its key, in PEM. */
export interface KeyPair {
  readonly cert: string
  readonly key: string
}

const CERTS = new URL('../../emulator/certs/', import.meta.url)

/** A file of `packages/emulator/certs` (`ca.pem`, `server.pem`, `service-fabric.pem`, ...). */
export const readCert = (name: string): string => readFileSync(new URL(name, CERTS), 'utf8')

/** The key pair `name.pem` and `name.key` of `packages/emulator/certs`. */
export const keyPair = (name: string): KeyPair => ({
  cert: readCert(`${name}.pem`),
  key: readCert(`${name}.key`),
})

interface Listening {
  listen: (port: number, host: string, done: () => void) => unknown
  close: (done: () => void) => unknown
}

const listen = (server: Listening, host = '127.0.0.1') =>
  new Promise<void>((resolve) => server.listen(0, host, resolve))

/** Track TCP connections so a test can wait for them to close and the server can drop them. */
const trackConnections = (server: {
  on: (event: 'connection', listener: (socket: Socket) => void) => unknown
}) => {
  const closed: Array<Promise<void>> = []
  const open = new Set<Socket>()
  server.on('connection', (socket) => {
    open.add(socket)
    closed.push(new Promise((resolve) => socket.once('close', () => resolve())))
    socket.once('close', () => open.delete(socket))
  })
  return {
    count: () => closed.length,
    allClosed: async () => {
      await Promise.all(closed)
    },
    closeServer: async (listening: Listening) => {
      for (const socket of open) socket.destroy()
      await new Promise<void>((resolve) => listening.close(() => resolve()))
    },
  }
}

const recordRequests = (server: Server, handler: Handler, connectionOf: (socket: Socket) => number) => {
  const requests: ReceivedRequest[] = []
  server.on('request', (request: IncomingMessage, response: ServerResponse) => {
    const received: ReceivedRequest = {
      method: request.method,
      url: request.url,
      headers: request.headers,
      connection: connectionOf(request.socket),
      body: '',
    }
    requests.push(received)
    const chunks: Buffer[] = []
    request.on('data', (chunk: Buffer) => chunks.push(chunk))
    request.on('end', () => {
      received.body = Buffer.concat(chunks).toString('utf8')
      handler(request, response, received)
    })
  })
  return requests
}

/** Start an HTTP server (or HTTPS with `tls`) on 127.0.0.1 whose every request goes to `handler`. */
export const startServer = async (handler: Handler, tls?: KeyPair): Promise<TestServer> => {
  const server: Server = tls === undefined ? createHttpServer() : createHttpsServer(tls)
  const numbers = new WeakMap<Socket, number>()
  const connections = trackConnections(server)
  server.on('connection', (socket) => numbers.set(socket, connections.count()))
  // over TLS the request arrives on the TLS socket, not on the TCP one counted above
  server.on('secureConnection', (socket: Socket) => numbers.set(socket, connections.count()))
  // a client that drops a connection mid-reply is expected here, not a test failure
  server.on('clientError', (_error, socket) => socket.destroy())
  const requests = recordRequests(server, handler, (socket) => numbers.get(socket) ?? 0)
  await listen(server)
  const { port } = server.address() as AddressInfo
  return {
    url: `${tls === undefined ? 'http' : 'https'}://127.0.0.1:${port}`,
    requests,
    connections: connections.count,
    connectionsClosed: connections.allClosed,
    close: () => connections.closeServer(server),
  }
}

/** A TLS server that never answers and counts the application bytes it decrypts. */
export interface TlsRecorder {
  readonly port: number
  readonly bytesReceived: () => number
  /** Resolves when the first application byte arrives (never, if none does). */
  readonly firstBytes: Promise<void>
  readonly connectionsClosed: () => Promise<void>
  readonly close: () => Promise<void>
}

/** Start a {@link TlsRecorder} on 127.0.0.1 presenting `tls`. */
export const startTlsRecorder = async (tls: KeyPair): Promise<TlsRecorder> => {
  let bytes = 0
  let arrived = (): void => undefined
  const firstBytes = new Promise<void>((resolve) => {
    arrived = resolve
  })
  const server = createTlsServer(tls, (socket) => {
    socket.on('data', (chunk: Buffer) => {
      bytes += chunk.length
      arrived()
    })
    socket.on('error', () => socket.destroy())
  })
  const connections = trackConnections(server)
  await listen(server)
  return {
    port: (server.address() as AddressInfo).port,
    bytesReceived: () => bytes,
    firstBytes,
    connectionsClosed: connections.allClosed,
    close: () => connections.closeServer(server),
  }
}

/** A port of `host` that nothing listens on (it was bound a moment ago, then released). */
export const closedPort = async (host = '127.0.0.1'): Promise<number> => {
  const server = createHttpServer()
  await listen(server, host)
  const { port } = server.address() as AddressInfo
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return port
}

/** A handler answering `200 {}` as JSON to everything: a host that only watches what comes. */
export const answerEmptyJson: Handler = (_request, response) =>
  response.writeHead(200, { 'content-type': 'application/json' }).end('{}')
