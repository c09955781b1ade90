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
import { parseThumbprint } from './certificatePin.js'

/** A request checked and translated for `http.request` / `https.request` (agent not chosen yet). */
export interface PreparedRequest {
  readonly secure: boolean
  readonly hostname: string
  readonly port: number | undefined
  /** Path and query string, as they go on the request line. */
  readonly path: string
  readonly method: HttpRequest['method']
  readonly headers: OutgoingHttpHeaders
  readonly body: string | undefined
  /** The 20-byte SHA-1 the server's certificate must have, when the request is pinned. */
  readonly pin: Buffer | undefined
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

/**
 * The pin, if any. A pinned request over plain `http:` is refused as `certificate-mismatch`:
 * without TLS there is no certificate, so it cannot match, and sending the request anyway
 * would hand a Service Fabric secret to whoever answers. A malformed expected thumbprint can
 * match nothing either, so it is refused the same way, before connecting.
 */
const pinOf = (request: HttpRequest, url: URL): Either<TransportFailure, Buffer | undefined> => {
  if (request.tls?.sha1Thumbprint === undefined) return right(undefined)
  if (url.protocol !== 'https:') {
    return left(
      transportFailure(
        'certificate-mismatch',
        'A pinned request needs an https: URL; it was not sent over http:.',
      ),
    )
  }
  const pin = parseThumbprint(request.tls.sha1Thumbprint)
  return pin === undefined
    ? left(
        transportFailure(
          'certificate-mismatch',
          'The pinned thumbprint is not 40 hexadecimal digits, so no certificate can match it.',
        ),
      )
    : right(pin)
}

/** Check `request` and translate it, or say why it cannot be sent. */
export const prepareRequest = (request: HttpRequest): Either<TransportFailure, PreparedRequest> => {
  const url = parseUrl(request.url)
  if (url === undefined || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    return left(transportFailure('other', 'the request URL is not an absolute http: or https: URL'))
  }
  const pin = pinOf(request, url)
  if (pin._tag === 'Left') return pin
  return right({
    secure: url.protocol === 'https:',
    // `URL` keeps IPv6 literals bracketed; `net.connect` wants them bare
    hostname: url.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: url.port === '' ? undefined : Number(url.port),
    path: `${url.pathname}${url.search}`,
    method: request.method,
    headers: headersWithLength(request),
    body: request.body,
    pin: pin.right,
  })
}
