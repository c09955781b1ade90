/**
 * An HTTP `CONNECT` tunnel through a proxy (RFC 9110 §9.3.6; docs/protocol.md §1.6): a TCP
 * connection to the proxy, one `CONNECT host:port` request, and, once the proxy answers 2xx,
 * the same socket carrying raw bytes to the endpoint. The caller then runs the endpoint's TLS
 * over it, so certificates are checked end to end and the proxy sees only ciphertext.
 *
 * These ~100 lines replace a dependency such as `https-proxy-agent` on purpose: azmi needs
 * every failure typed (`proxy`, with the proxy's `host:port` and nothing else, never its
 * credentials), the request's own deadline and abort covering the CONNECT, the TLS handshake
 * and Service Fabric's pin under azmi's control, and no package in the supply chain of a
 * library that handles credentials.
 *
 * @since 0.1.0
 */
import type { Socket } from 'node:net'
import { connect } from 'node:net'
import { errorCodeOf, type TransportFailure } from '@azmi/core'
import type { Either } from 'fp-ts/lib/Either.js'
import { isLeft, left, right } from 'fp-ts/lib/Either.js'
import { credentialsWanted, proxyFailure } from './proxyFailure.js'
import type { ProxyEndpoint } from './proxyUrl.js'

/** The endpoint the tunnel leads to. */
export interface TunnelTarget {
  /** Host name or address (an IPv6 address without brackets). */
  readonly host: string
  readonly port: number
}

/** A proxy's reply head (status line and headers) larger than this is not a proxy's reply. */
const MAX_REPLY_HEAD_BYTES = 16_384

const authority = ({ host, port }: TunnelTarget): string =>
  `${host.includes(':') ? `[${host}]` : host}:${port}`

const connectRequest = (proxy: ProxyEndpoint, target: TunnelTarget): string => {
  const lines = [`CONNECT ${authority(target)} HTTP/1.1`, `Host: ${authority(target)}`]
  if (proxy.authorization !== undefined) lines.push(`Proxy-Authorization: ${proxy.authorization}`)
  return `${lines.join('\r\n')}\r\n\r\n`
}

/** What a complete reply head means: the tunnel, or why not. The proxy's words are never kept. */
const judgeReply = (proxy: ProxyEndpoint, head: Buffer, rest: Buffer): TransportFailure | undefined => {
  const status = /^HTTP\/1\.[01] (\d{3})(?: |\r|$)/.exec(head.toString('latin1'))?.[1]
  if (status === undefined) return proxyFailure(proxy, 'answered CONNECT with something other than HTTP')
  if (status === '407') return credentialsWanted(proxy)
  if (!status.startsWith('2')) return proxyFailure(proxy, `refused the tunnel (status ${status})`)
  // TLS begins with the client's hello: an endpoint never speaks first, so these bytes are bogus
  return rest.length === 0
    ? undefined
    : proxyFailure(proxy, 'sent bytes after accepting the tunnel, before TLS began')
}

/** A whole reply head's verdict (undefined: the tunnel is open), or undefined while it is partial. */
type HeadReading = { readonly verdict: TransportFailure | undefined } | undefined

/** Collects the proxy's reply head chunk by chunk, up to 16 KiB. */
const replyHeadCollector = (proxy: ProxyEndpoint): ((chunk: Buffer) => HeadReading) => {
  let head = Buffer.alloc(0)
  return (chunk) => {
    head = Buffer.concat([head, chunk])
    const end = head.indexOf('\r\n\r\n')
    if (end >= 0) return { verdict: judgeReply(proxy, head.subarray(0, end), head.subarray(end + 4)) }
    return head.length > MAX_REPLY_HEAD_BYTES
      ? { verdict: proxyFailure(proxy, 'sent a reply head over 16 KiB') }
      : undefined
  }
}

const codeOf = (error: Error): string => errorCodeOf(error) ?? 'error'

/**
 * Open a tunnel to `target` through `proxy`; `done` gets the socket (paused, nothing read
 * beyond the proxy's reply) or a `proxy` failure. `track` receives the socket at once, so the
 * request's deadline or abort can destroy it while the CONNECT is still unanswered.
 */
export const openTunnel = (
  proxy: ProxyEndpoint,
  target: TunnelTarget,
  track: (socket: Socket) => void,
  done: (outcome: Either<TransportFailure, Socket>) => void,
): void => {
  const socket = connect({ host: proxy.host, port: proxy.port })
  track(socket)
  let connected = false
  const collect = replyHeadCollector(proxy)

  const finish = (outcome: Either<TransportFailure, Socket>): void => {
    socket.off('readable', onReadable).off('error', onError).off('close', onClose)
    if (isLeft(outcome)) {
      // the failure is reported once; a late error from a dying socket must not crash the process
      socket.on('error', () => undefined).destroy()
    }
    done(outcome)
  }
  const fail = (detail: string): void => finish(left(proxyFailure(proxy, detail)))
  const onError = (error: Error): void =>
    fail(connected ? `broke the connection (${codeOf(error)})` : `could not be reached (${codeOf(error)})`)
  const onClose = (): void => fail('closed the connection before answering CONNECT')
  const onReadable = (): void => {
    for (let chunk: Buffer | null = socket.read(); chunk !== null; chunk = socket.read()) {
      const reading = collect(chunk)
      if (reading !== undefined) {
        finish(reading.verdict === undefined ? right(socket) : left(reading.verdict))
        return
      }
    }
  }

  socket.once('connect', () => {
    connected = true
    socket.write(connectRequest(proxy, target))
  })
  socket.on('readable', onReadable).on('error', onError).on('close', onClose)
}
