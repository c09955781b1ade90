/**
 * The loopback guard: a test may open connections to 127.0.0.0/8 and `::1` only (a credential
 * built without `env` would read `process.env` and dial IMDS at 169.254.169.254). It watches
 * the connections of this process through Node's diagnostics channels and patches no global
 * and no prototype: what it changes, it changes on the one socket a channel hands it.
 *
 * - `net.client.socket` (`net.connect`, and plain `http` through its agent): that socket's
 *   `connect` is wrapped, so an address outside loopback is refused before any SYN (the
 *   socket is destroyed on the next tick with `ELOOPBACKONLY`), and a host name through a
 *   `lookup` that refuses what resolves outside loopback. Unix sockets pass.
 * - `http.client.request.start`, for `https` requests through an agent, which connect with
 *   `tls.connect` and never reach `net.client.socket`: an address outside loopback destroys
 *   the request at once; for a name, the socket is destroyed at its `lookup` event, which
 *   Node emits before it connects. Requests given a socket by their own `createConnection`
 *   (node-io's pinned and tunnelled ones) are judged where that socket is opened: a tunnel
 *   through the test proxy opens it to the proxy on 127.0.0.1, so `login.test` is fine there.
 * - `undici:client:beforeConnect` and `undici:client:connected` (fetch): undici opens plain
 *   sockets with `net.connect`, so the first rule refuses those too; these channels name the
 *   fetch in the record, and are all there is for undici's https (`tls.connect`), which no
 *   channel lets anyone stop: that is only recorded.
 *
 * A name resolved synchronously (a custom `lookup` that calls back at once) connects inside
 * `https.request`, before its channel speaks: the guard sees DNS answers, which are never
 * synchronous, in time.
 *
 * Every refusal and every fetch outside loopback is recorded; `loopbackGuardSetup.ts` fails
 * the test that leaves any behind, and a test that means to trip the guard takes them with
 * {@link takeLoopbackViolations}.
 */
import { subscribe, unsubscribe } from 'node:diagnostics_channel'
import { lookup as dnsLookup } from 'node:dns'
import type { Agent, ClientRequest } from 'node:http'
import { isIP, type Socket } from 'node:net'
import { bare, isLoopbackIp } from './proxyHosts.js'

/** One connection outside loopback that the guard saw. */
export interface LoopbackViolation {
  /** The way it was opened: `net` (net and plain http), `https`, or `fetch` (undici). */
  readonly via: 'net' | 'https' | 'fetch'
  /** The host it was asked for: an address, or a name. */
  readonly host: string
  /** The address outside loopback: the host itself, or what the name resolved to. */
  readonly address: string
}

/** The `code` of the error a refused socket or request is destroyed with. */
export const LOOPBACK_ONLY = 'ELOOPBACKONLY'

const violations: LoopbackViolation[] = []

/** The violations recorded since the last call, oldest first; the record is emptied. */
export const takeLoopbackViolations = (): ReadonlyArray<LoopbackViolation> => violations.splice(0)

/** `https to login.example.com (20.190.1.1)`: how a report names a violation. */
export const describeViolation = ({ via, host, address }: LoopbackViolation): string =>
  `${via} to ${host}${address === host ? '' : ` (${address})`}`

const refusal = (violation: LoopbackViolation): Error => {
  violations.push(violation)
  const error = new Error(
    `the loopback guard refused a connection (${describeViolation(violation)}): tests reach 127.0.0.0/8 and ::1 only`,
  )
  return Object.assign(error, { code: LOOPBACK_ONLY })
}

// -------------------------------------------------------------------------------------
// net.connect
// -------------------------------------------------------------------------------------

type Callback = (...args: unknown[]) => void
type Lookup = (hostname: string, options: object, callback: Callback) => void
interface TcpOptions {
  readonly host?: string
  readonly port?: number | string
  readonly path?: string | null
  readonly lookup?: Lookup
}

/** The TCP options and callback of a `socket.connect(...)` call; `undefined` for a unix socket. */
const tcpArguments = (args: unknown[]): { options: TcpOptions; callback?: Callback } | undefined => {
  const [first, second] = Array.isArray(args[0]) ? (args[0] as unknown[]) : args
  const callback = args.find((arg): arg is Callback => typeof arg === 'function') ?? second
  const call = typeof callback === 'function' ? { callback: callback as Callback } : {}
  if (typeof first === 'object' && first !== null) {
    const options = first as TcpOptions
    return typeof options.path === 'string' ? undefined : { options, ...call }
  }
  if (typeof first === 'string' && !/^\d+$/.test(first)) return undefined
  const host = typeof args[1] === 'string' ? args[1] : undefined
  return { options: { port: first as number | string, ...(host === undefined ? {} : { host }) }, ...call }
}

/** A `lookup` that hands on what `inner` resolved, unless an address of it is outside loopback. */
const loopbackLookup =
  (inner: Lookup): Lookup =>
  (hostname, options, callback) =>
    inner(hostname, options, (error, address, ...rest) => {
      if (error) return callback(error, address, ...rest)
      const addresses = Array.isArray(address)
        ? address.map((entry: { address: string }) => entry.address)
        : [String(address)]
      const outside = addresses.find((each) => !isLoopbackIp(each))
      if (outside === undefined) return callback(null, address, ...rest)
      callback(refusal({ via: 'net', host: hostname, address: outside }))
    })

const guardNetSocket = (message: unknown): void => {
  const { socket } = message as { socket: Socket }
  const connect = socket.connect
  const guarded = function (this: Socket, ...args: unknown[]): Socket {
    const tcp = tcpArguments(args)
    if (tcp === undefined) return Reflect.apply(connect, this, args) as Socket
    const host = bare(tcp.options.host ?? 'localhost')
    if (isIP(host) !== 0 && !isLoopbackIp(host)) {
      const error = refusal({ via: 'net', host, address: host })
      process.nextTick(() => socket.destroy(error))
      return socket
    }
    const lookup = loopbackLookup(tcp.options.lookup ?? (dnsLookup as unknown as Lookup))
    const options = { ...tcp.options, lookup }
    return Reflect.apply(
      connect,
      this,
      tcp.callback === undefined ? [options] : [options, tcp.callback],
    ) as Socket
  }
  socket.connect = guarded as Socket['connect']
}

// -------------------------------------------------------------------------------------
// https requests
// -------------------------------------------------------------------------------------

/** Refuse a name whose lookup lands outside loopback, before the socket connects. */
const watchSocket = (host: string, socket: Socket): void => {
  if (!socket.connecting) return
  socket.once('lookup', (error: Error | null, address: string | undefined) => {
    if (error === null && address !== undefined && !isLoopbackIp(address))
      socket.destroy(refusal({ via: 'https', host, address }))
  })
  // with several addresses Node may try the next one itself; destroying here would crash it
  socket.on('connectionAttempt', (address: string) => {
    if (!isLoopbackIp(address)) violations.push({ via: 'https', host, address })
  })
}

const guardHttpsRequest = (message: unknown): void => {
  // `agent` is there at run time, though Node's types leave it out
  const { request } = message as { request: ClientRequest & { agent?: Agent & { protocol?: string } } }
  if (request.agent?.protocol !== 'https:') return
  const host = bare(request.host)
  if (isIP(host) !== 0) {
    if (!isLoopbackIp(host)) request.destroy(refusal({ via: 'https', host, address: host }))
    return
  }
  if (request.socket) watchSocket(host, request.socket)
  else request.once('socket', (socket: Socket) => watchSocket(host, socket))
}

// -------------------------------------------------------------------------------------
// fetch (undici)
// -------------------------------------------------------------------------------------

interface UndiciConnect {
  readonly connectParams: { readonly hostname: string }
  readonly socket?: Socket
}

const recordFetchAddress = (message: unknown): void => {
  const host = bare((message as UndiciConnect).connectParams.hostname)
  if (isIP(host) !== 0 && !isLoopbackIp(host)) violations.push({ via: 'fetch', host, address: host })
}

const recordFetchName = (message: unknown): void => {
  const { connectParams, socket } = message as UndiciConnect
  const host = bare(connectParams.hostname)
  const address = socket?.remoteAddress
  if (isIP(host) === 0 && address !== undefined && !isLoopbackIp(address))
    violations.push({ via: 'fetch', host, address })
}

// -------------------------------------------------------------------------------------
// installation
// -------------------------------------------------------------------------------------

const SUBSCRIPTIONS: ReadonlyArray<readonly [string, (message: unknown) => void]> = [
  ['net.client.socket', guardNetSocket],
  ['http.client.request.start', guardHttpsRequest],
  ['undici:client:beforeConnect', recordFetchAddress],
  ['undici:client:connected', recordFetchName],
]

/** Start watching this process's connections; the function returned stops it. */
export const installLoopbackGuard = (): (() => void) => {
  for (const [channel, listener] of SUBSCRIPTIONS) subscribe(channel, listener)
  return () => {
    for (const [channel, listener] of SUBSCRIPTIONS) unsubscribe(channel, listener)
  }
}
