/**
 * From the core's plain `HttpRequest` to what `node:http` needs, refusing what must never be
 * sent before a connection exists.
 *
 * @since 0.1.0
 */

import type { OutgoingHttpHeaders } from 'node:http'
import type { HttpRequest, TransportFailure } from '@azmi/core'
import { transportFailure } from '@azmi/core'
import type { Either } from 'fp-ts/lib/Either.js'
import { left, right } from 'fp-ts/lib/Either.js'
import type { TlsRequirements } from './tlsRequirements.js'
import { tlsRequirementsOf } from './tlsRequirements.js'

/** A request checked and translated for `http.request` / `https.request` (agent not chosen yet). */
export interface PreparedRequest {
  readonly url: URL
  readonly secure: boolean
  readonly hostname: string
  readonly port: number | undefined
  /** The port connected to: the URL's, or its scheme's default. */
  readonly effectivePort: number
  /** `scheme://host:port` with the effective port: the key of the per-origin connection cap. */
  readonly origin: string
  /** Path and query string, as they go on the request line. */
  readonly path: string
  readonly method: HttpRequest['method']
  readonly headers: OutgoingHttpHeaders
  readonly body: string | undefined
  /** What the server's certificate must satisfy beyond ordinary verification. */
  readonly tls: TlsRequirements
}

const parseUrl = (url: string): URL | undefined => {
  try {
    return new URL(url)
  } catch {
    return undefined
  }
}

/**
 * The caller's headers with `content-length` recomputed: the body goes out as UTF-8, so the
 * length is its byte count, not its string length. A POST without a body says `0` rather than
 * falling back to chunked encoding, which some token endpoints reject.
 */
const headersWithLength = (request: HttpRequest): OutgoingHttpHeaders => {
  const headers: OutgoingHttpHeaders = {}
  for (const [name, value] of Object.entries(request.headers)) {
    if (name.toLowerCase() !== 'content-length') headers[name] = value
  }
  if (request.body !== undefined) headers['content-length'] = Buffer.byteLength(request.body, 'utf8')
  else if (request.method === 'POST') headers['content-length'] = 0
  return headers
}

/** Check `request` and translate it, or say why it cannot be sent. */
export const prepareRequest = (request: HttpRequest): Either<TransportFailure, PreparedRequest> => {
  const url = parseUrl(request.url)
  if (url === undefined || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    return left(transportFailure('other', 'the request URL is not an absolute http: or https: URL'))
  }
  const secure = url.protocol === 'https:'
  const tls = tlsRequirementsOf(request, secure)
  if (tls._tag === 'Left') return tls
  const effectivePort = url.port === '' ? (secure ? 443 : 80) : Number(url.port)
  return right({
    url,
    secure,
    // `URL` keeps IPv6 literals bracketed; `net.connect` wants them bare
    hostname: url.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: url.port === '' ? undefined : Number(url.port),
    effectivePort,
    origin: `${url.protocol}//${url.hostname}:${effectivePort}`,
    path: `${url.pathname}${url.search}`,
    method: request.method,
    headers: headersWithLength(request),
    body: request.body,
    tls: tls.right,
  })
}
