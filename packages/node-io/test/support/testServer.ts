/**
 * Small real servers on 127.0.0.1 for the transport tests: each records what reached it, so a
 * test can assert that a request was (or was never) received.
 */
import { readFileSync } from 'node:fs'
import type { IncomingHttpHeaders, IncomingMessage, Server, ServerResponse } from 'node:http'
import { createServer as createHttpServer } from 'node:http'
import { createServer as createHttpsServer } from 'node:https'
import type { AddressInfo, Socket } from 'node:net'
import { createServer as createTlsServer } from 'node:tls'

export interface RecordedRequest {
  readonly method: string | undefined
  readonly url: string | undefined
  readonly headers: IncomingHttpHeaders
  /** Which TCP connection carried the request (1 for the first the server accepted). */
  readonly connection: number
  /** Filled in once the whole body arrived. */
  body: string
}

export type Handler = (request: IncomingMessage, response: ServerResponse, recorded: RecordedRequest) => void

export interface TestServer {
  readonly url: string
  readonly requests: RecordedRequest[]
  /** TCP connections accepted so far. */
  readonly connections: () => number
  /** Resolves once every connection accepted so far has closed. */
  readonly connectionsClosed: () => Promise<void>
  readonly close: () => Promise<void>
}

/** A key pair from `packages/emulator/certs`. */
export interface KeyPair {
  readonly cert: string
  readonly key: string
}

const CERTS = new URL('../../../emulator/certs/', import.meta.url)

export const readCert = (name: string): string => readFileSync(new URL(name, CERTS), 'utf8')

export const keyPair = (name: string): KeyPair => ({
  cert: readCert(`${name}.pem`),
  key: readCert(`${name}.key`),
})

const listen = (server: { listen: (port: number, host: string, done: () => void) => unknown }) =>
  new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))

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
    destroyAll: () => {
      for (const socket of open) socket.destroy()
    },
  }
}

const recordRequests = (server: Server, handler: Handler, connectionOf: (socket: Socket) => number) => {
  const requests: RecordedRequest[] = []
  server.on('request', (request: IncomingMessage, response: ServerResponse) => {
    const recorded: RecordedRequest = {
      method: request.method,
      url: request.url,
      headers: request.headers,
      connection: connectionOf(request.socket),
      body: '',
    }
    requests.push(recorded)
    const chunks: Buffer[] = []
    request.on('data', (chunk: Buffer) => chunks.push(chunk))
    request.on('end', () => {
      recorded.body = Buffer.concat(chunks).toString('utf8')
      handler(request, response, recorded)
    })
  })
  return requests
}

/** Start an HTTP server (or HTTPS with `tls`) whose every request goes to `handler`. */
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
    close: async () => {
      connections.destroyAll()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
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
    close: async () => {
      connections.destroyAll()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}

/** A port on 127.0.0.1 that nothing listens on (it was bound, then released). */
export const closedPort = async (): Promise<number> => {
  const server = createHttpServer()
  await listen(server)
  const { port } = server.address() as AddressInfo
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return port
}
