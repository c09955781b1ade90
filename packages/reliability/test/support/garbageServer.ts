/**
 * Something that is not HTTP, listening where an endpoint should be: a raw TCP server on
 * 127.0.0.1 that answers whatever a connection sends with bytes no HTTP parser accepts, then
 * closes it (a stray service on IMDS's address, a port reused by another protocol).
 */
import { type AddressInfo, createServer, type Socket } from 'node:net'

/** Binary junk with a line ending, as a non-HTTP service might greet a client. */
const GARBAGE = Buffer.from([0x00, 0x01, 0xff, 0xfe, ...Buffer.from(' not http at all \r\n\r\n')])

/** A running {@link startGarbageServer}. */
export interface GarbageServer {
  readonly port: number
  /** Connections accepted so far. */
  readonly connections: () => number
  readonly close: () => Promise<void>
}

/** Start the server on an ephemeral port of 127.0.0.1. */
export const startGarbageServer = async (): Promise<GarbageServer> => {
  const sockets = new Set<Socket>()
  let accepted = 0
  const server = createServer((socket) => {
    accepted += 1
    sockets.add(socket)
    socket.on('error', () => undefined)
    socket.on('close', () => sockets.delete(socket))
    socket.once('data', () => socket.end(GARBAGE))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    port,
    connections: () => accepted,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy()
        server.close(() => resolve())
      }),
  }
}
