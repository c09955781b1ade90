/**
 * HTTP as plain data: what the core asks a shell to send, and what the shell hands back.
 *
 * Nothing here is a class: a request snapshots and `JSON.stringify`s cleanly, so tests can
 * compare plans with literal fixtures and shells can log them after redaction.
 *
 * @since 0.1.0
 */

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/**
 * How the shell must verify the server of an `https:` request. Every field is optional; a shell
 * that cannot honour a field it is given refuses the request before sending anything.
 */
export interface TlsOptions {
  /**
   * Pin the server's leaf certificate: accept the connection only when its SHA-1 thumbprint
   * matches (upper-case hex, no separators). Replaces CA verification for that connection.
   */
  readonly sha1Thumbprint?: string
  /** PEM certificate(s) of the only authorities trusted for this request (AKS token proxy). */
  readonly ca?: string
  /** The TLS server name to send (SNI) and the name the certificate must match. */
  readonly servername?: string
}

/** @deprecated Use {@link TlsOptions}. */
export type TlsPin = TlsOptions

/** A request the core wants sent. Redirects are never followed; `timeoutMs` covers connect through last byte. */
export interface HttpRequest {
  /** The request method. */
  readonly method: 'GET' | 'POST'
  /** Absolute `http:`/`https:` URL. Never contains a secret. */
  readonly url: string
  /** Header names as the protocol spells them; values may be secret. */
  readonly headers: Readonly<Record<string, string>>
  /** The request body, sent as UTF-8; values may be secret. */
  readonly body?: string
  /** Connect through last byte of the reply. */
  readonly timeoutMs: number
  /** How to verify an `https:` server, beyond the defaults. */
  readonly tls?: TlsOptions
}

/** A reply as the shell received it. Header names are lower-case. */
export interface HttpResponse {
  /** The HTTP status. */
  readonly status: number
  /** Header values by lower-case name; a repeated header's values joined with `, `. */
  readonly headers: Readonly<Record<string, string>>
  /** The body, decoded as UTF-8. */
  readonly body: string
}

/**
 * Why a shell could not produce an `HttpResponse`. Shells map their runtime's errors onto
 * these kinds; the core decides what each means (retry, unavailable, failed).
 */
export type TransportFailureKind =
  /** nothing answered: refused, unreachable, DNS failure, or closed before any reply byte */
  | 'connect'
  /** the reply began but the connection broke before it was complete */
  | 'reset'
  /** `timeoutMs` elapsed */
  | 'timeout'
  /** the caller's `AbortSignal` fired */
  | 'aborted'
  /** the TLS handshake failed for a reason other than pinning */
  | 'tls'
  /** the server's certificate does not match `tls.sha1Thumbprint`; nothing was sent */
  | 'certificate-mismatch'
  /** this transport cannot pin certificates, so it refused a request that asked for it */
  | 'pinning-unsupported'
  /** this transport cannot use a request's own CA or server name, so it refused the request */
  | 'custom-tls-unsupported'
  /** the proxy refused the tunnel (407 or another status), closed it, or could not be reached */
  | 'proxy'
  /** the reply body exceeded the shell's cap */
  | 'response-too-large'
  | 'other'

/** Why a `send` produced no `HttpResponse`. */
export interface TransportFailure {
  /** Tells a failure from a response. */
  readonly _tag: 'TransportFailure'
  /** What failed, as a case the core reacts to. */
  readonly kind: TransportFailureKind
  /** Human-readable detail from the runtime. Must not contain request headers. */
  readonly detail: string
}

// -------------------------------------------------------------------------------------
// constructors
// -------------------------------------------------------------------------------------

/** A `TransportFailure` of `kind` with the runtime's `detail`. */
export const transportFailure = (kind: TransportFailureKind, detail: string): TransportFailure => ({
  _tag: 'TransportFailure',
  kind,
  detail,
})

// -------------------------------------------------------------------------------------
// rules every transport follows
// -------------------------------------------------------------------------------------

/**
 * The largest reply body a transport accepts unless told otherwise: 1 MiB. Token replies are a
 * few kilobytes; anything near this is not a token endpoint.
 */
export const MAX_RESPONSE_BYTES = 1_048_576

/**
 * True when a reply's `content-length` announces more than `maxBytes`: such a body is refused
 * before a byte of it is read. A missing or garbled length says nothing; the cap is then kept
 * while reading.
 *
 * @since 0.2.0
 */
export const announcesMoreThan = (contentLength: string | null | undefined, maxBytes: number): boolean => {
  const announced = Number(contentLength ?? Number.NaN)
  return Number.isFinite(announced) && announced > maxBytes
}

/**
 * The attempt's own timeout passed (`'timeout'`), or the caller's signal aborted it
 * (`'aborted'`): the failure every transport reports for the two, in the same words.
 *
 * @since 0.2.0
 */
export const interruptedFailure = (why: 'timeout' | 'aborted', timeoutMs: number): TransportFailure =>
  why === 'timeout'
    ? transportFailure('timeout', `no complete response within the request's timeout of ${timeoutMs} ms`)
    : transportFailure('aborted', "the caller's AbortSignal aborted the request")

/**
 * The reply was larger than `maxBytes`, or announced (by its `content-length`) that it would be:
 * `response-too-large`, with the announced size when there was one.
 *
 * @since 0.2.0
 */
export const tooLargeFailure = (maxBytes: number, announced?: number): TransportFailure =>
  transportFailure(
    'response-too-large',
    announced === undefined
      ? `the reply body exceeds the limit of ${maxBytes} bytes`
      : `the reply announces ${announced} bytes, over the limit of ${maxBytes} bytes`,
  )

/**
 * Reply headers in the core's shape: names lower-cased, a repeated header's values joined with
 * `, ` in order (RFC 9110 §5.3). `Object.fromEntries` defines own properties, so a hostile
 * `__proto__` header stays an ordinary entry and cannot change the object's prototype.
 */
export const joinHeaders = (
  entries: Iterable<readonly [string, string]>,
): Readonly<Record<string, string>> => {
  const byName = new Map<string, string>()
  for (const [name, value] of entries) {
    const key = name.toLowerCase()
    const earlier = byName.get(key)
    byName.set(key, earlier === undefined ? value : `${earlier}, ${value}`)
  }
  return Object.fromEntries(byName)
}

// -------------------------------------------------------------------------------------
// utils
// -------------------------------------------------------------------------------------

/** Look up a response header by name, ignoring case. */
export const headerValue = (response: HttpResponse, name: string): string | undefined => {
  const wanted = name.toLowerCase()
  for (const [key, value] of Object.entries(response.headers)) {
    if (key.toLowerCase() === wanted) return value
  }
  return undefined
}

/** `application/x-www-form-urlencoded` encoding of ordered fields. */
export const formEncode = (fields: ReadonlyArray<readonly [string, string]>): string =>
  fields.map(([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(value)}`).join('&')

/** Append query parameters to an endpoint URL that may already carry a query string. */
export const withQuery = (endpoint: string, params: ReadonlyArray<readonly [string, string]>): string => {
  const url = new URL(endpoint)
  for (const [key, value] of params) url.searchParams.append(key, value)
  return url.toString()
}
