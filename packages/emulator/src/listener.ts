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

/** Says which port could not be had and why, so that a taken port is obvious at once. */
const listenError = (port: number, error: NodeJS.ErrnoException): Error =>
  error.code === 'EADDRINUSE'
    ? Object.assign(
        new Error(`Cannot listen on 127.0.0.1:${port}: the port is already in use`, { cause: error }),
        { code: 'EADDRINUSE' },
      )
    : error

/** Starts `server` on a loopback port: `port`, or an ephemeral one when it is 0. */
export const listenOnLoopback = async (server: Server, port = 0): Promise<Listener> => {
  const sockets = new Set<Socket>()
  // 'connection' sees the raw TCP socket for HTTPS too, including ones still in the TLS handshake.
  server.on('connection', (socket: Socket) => {
    sockets.add(socket)
    socket.once('close', () => sockets.delete(socket))
  })
  await new Promise<void>((resolve, reject) => {
    const fail = (error: NodeJS.ErrnoException) => reject(listenError(port, error))
    server.once('error', fail)
    server.listen(port, '127.0.0.1', () => {
      server.off('error', fail)
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
