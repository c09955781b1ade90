/**
 * A server listening on 127.0.0.1 that can be shut down completely: `server.close()` alone
 * waits for keep-alive and hung connections, so every socket is tracked and destroyed.
 *
 * @module
 */
import type { Server, Socket } from 'node:net'

/** A listening server and the way to end it with all its connections. */
export interface Listener {
  readonly port: number
  /** Stops listening, destroys every open socket and resolves once the server has closed. */
  close(): Promise<void>
}

/** Starts `server` on an ephemeral loopback port. */
export const listenOnLoopback = async (server: Server): Promise<Listener> => {
  const sockets = new Set<Socket>()
  // 'connection' sees the raw TCP socket for HTTPS too, including ones still in the TLS handshake.
  server.on('connection', (socket: Socket) => {
    sockets.add(socket)
    socket.once('close', () => sockets.delete(socket))
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject)
      resolve()
    })
  })
  const address = server.address()
  if (address === null || typeof address === 'string') throw new Error('Expected a TCP address')
  return {
    port: address.port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve())
        for (const socket of sockets) socket.destroy()
      }),
  }
}
