/**
 * A TCP relay listening on `[::1]`, forwarding to a port on 127.0.0.1: lets a credential whose
 * endpoint is an IPv6 literal reach the (IPv4-only) emulator over real sockets, bytes
 * unchanged (TLS included, so pinning and certificate checks still see the real server).
 */

import type { AddressInfo } from 'node:net'
import { connect, createServer, type Socket } from 'node:net'
import type { TestScope } from '@azmi/test-support'

export const ipv6Relay = async (test: TestScope, targetPort: number): Promise<number> => {
  const sockets = new Set<Socket>()
  const server = createServer((client) => {
    const upstream = connect(targetPort, '127.0.0.1')
    for (const socket of [client, upstream]) {
      sockets.add(socket)
      socket.on('close', () => sockets.delete(socket))
      socket.on('error', () => {
        client.destroy()
        upstream.destroy()
      })
    }
    client.pipe(upstream).pipe(client)
  })
  await new Promise<void>((resolve) => server.listen(0, '::1', resolve))
  test.onTestFinished(
    () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy()
        server.close(() => resolve())
      }),
  )
  return (server.address() as AddressInfo).port
}

/** Whether this machine has an IPv6 loopback to listen on. */
export const ipv6LoopbackAvailable = (): Promise<boolean> =>
  new Promise((resolve) => {
    const probe = createServer()
    probe.once('error', () => resolve(false))
    probe.listen(0, '::1', () => probe.close(() => resolve(true)))
  })

/** `env` with every 127.0.0.1 URL rewritten to `[::1]` on the port `portFor` gives. */
export const onIpv6 = async (
  env: Record<string, string>,
  portFor: (port: number) => Promise<number>,
): Promise<Record<string, string>> => {
  const entries = await Promise.all(
    Object.entries(env).map(async ([name, value]) => {
      const match = /^(https?):\/\/127\.0\.0\.1:(\d+)(.*)$/.exec(value)
      if (match === null) return [name, value] as const
      const [, scheme, port, rest] = match
      return [name, `${scheme}://[::1]:${await portFor(Number(port))}${rest}`] as const
    }),
  )
  return Object.fromEntries(entries)
}
