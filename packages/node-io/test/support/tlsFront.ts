/**
 * A TLS front for an endpoint that must be reached by a name its own certificate lacks: it
 * presents a certificate for that name (from `throwawayPki.ts`), decrypts, and relays the
 * bytes over a second TLS connection to the real endpoint (the emulator's Entra ID listener,
 * whose certificate names only `localhost` and `127.0.0.1`). To the client it *is* the
 * endpoint at `login.test`; to the emulator it is a client. Listens on 127.0.0.1.
 */
import type { AddressInfo, Socket } from 'node:net'
import { createServer, connect as tlsConnect } from 'node:tls'
import type { KeyPair } from '@azmi/test-support'

export interface TlsFront {
  readonly port: number
  readonly close: () => Promise<void>
}

/** Relay to `https://127.0.0.1:{upstreamPort}`, verified against `upstreamCa`. */
export const startTlsFront = async (
  certificate: KeyPair,
  upstreamPort: number,
  upstreamCa: string,
): Promise<TlsFront> => {
  const sockets = new Set<Socket>()
  const adopt = (socket: Socket): Socket => {
    sockets.add(socket)
    socket.once('close', () => sockets.delete(socket))
    socket.on('error', () => socket.destroy())
    return socket
  }
  const server = createServer(certificate, (client) => {
    adopt(client)
    const upstream = adopt(tlsConnect({ host: '127.0.0.1', port: upstreamPort, ca: upstreamCa }))
    client.pipe(upstream).pipe(client)
    client.once('close', () => upstream.destroy())
    upstream.once('close', () => client.destroy())
  })
  server.on('connection', adopt)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    port: (server.address() as AddressInfo).port,
    close: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()))
      for (const socket of sockets) socket.destroy()
      await closed
    },
  }
}
