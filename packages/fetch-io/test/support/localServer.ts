/**
 * Real HTTP servers on 127.0.0.1 for the transport tests: each test starts its own on port 0,
 * scripts the reply in a plain handler, and counts what reached it.
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach } from 'vitest'

export interface LocalServer {
  /** `http://127.0.0.1:<port>` */
  readonly origin: string
  /** Every request that reached the server, in order. */
  readonly received: ReadonlyArray<{ readonly method: string; readonly url: string }>
  /** Drop every open connection and stop listening. */
  readonly close: () => Promise<void>
}

export type Handler = (request: IncomingMessage, response: ServerResponse) => void

/** Start a server answering with `handler`; remember to `close` it. */
export const startServer = async (handler: Handler): Promise<LocalServer> => {
  const received: Array<{ method: string; url: string }> = []
  const server = createServer((request, response) => {
    received.push({ method: request.method ?? '', url: request.url ?? '' })
    handler(request, response)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    origin: `http://127.0.0.1:${port}`,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

/** A `serve` for one test file: every server it starts is closed after each test. */
export const serversClosedAfterEach = (): ((handler: Handler) => Promise<LocalServer>) => {
  const open: LocalServer[] = []
  afterEach(async () => {
    await Promise.all(open.splice(0).map((server) => server.close()))
  })
  return async (handler) => {
    const server = await startServer(handler)
    open.push(server)
    return server
  }
}

/** A port that was free a moment ago and has nothing listening on it now. */
export const closedPort = async (): Promise<number> => {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return port
}

/** The request body, read in full. */
export const readRequestBody = async (request: IncomingMessage): Promise<string> => {
  const chunks: Buffer[] = []
  for await (const chunk of request) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks).toString('utf8')
}

/** A promise with its resolver, for a test to wait on something a server or a fake does. */
export const signalled = <T = void>(): {
  readonly promise: Promise<T>
  readonly resolve: (value: T) => void
} => {
  let resolve: (value: T) => void = () => undefined
  const promise = new Promise<T>((settle) => {
    resolve = settle
  })
  return { promise, resolve }
}
