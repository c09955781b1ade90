/**
 * Node's networking errors, mapped onto the core's `TransportFailureKind`s.
 *
 * The mapping reads only the stable `code` Node and OpenSSL attach to an error, never its
 * message. The detail keeps Node's own wording because it names the address and the cause;
 * Node's messages for these errors never quote request headers or bodies.
 *
 * @since 0.1.0
 */
import type { TransportFailure, TransportFailureKind } from '@azmi/core'
import { transportFailure } from '@azmi/core'

/** Nothing answered: the name did not resolve, the host refused, or no route reached it. */
const CONNECT_CODES: ReadonlySet<string> = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EAI_FAIL',
  'EAI_NONAME',
  'EHOSTUNREACH',
  'EHOSTDOWN',
  'ENETUNREACH',
  'ENETDOWN',
  'EADDRNOTAVAIL',
  // the operating system gave up connecting; azmi's own deadline reports `timeout` instead
  'ETIMEDOUT',
])

/** The connection existed and broke before the reply was complete. */
const RESET_CODES: ReadonlySet<string> = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED'])

/** OpenSSL's certificate verification results, as Node reports them in `code`. */
const CERTIFICATE_CODES: ReadonlySet<string> = new Set([
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_DECRYPT_CERT_SIGNATURE',
  'UNABLE_TO_DECODE_ISSUER_PUBLIC_KEY',
  'UNABLE_TO_GET_CRL',
  'CERT_SIGNATURE_FAILURE',
  'CERT_NOT_YET_VALID',
  'CERT_HAS_EXPIRED',
  'CERT_REVOKED',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'CERT_CHAIN_TOO_LONG',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'INVALID_CA',
  'INVALID_PURPOSE',
  'PATH_LENGTH_EXCEEDED',
  'HOSTNAME_MISMATCH',
  'ERROR_IN_CERT_NOT_BEFORE_FIELD',
  'ERROR_IN_CERT_NOT_AFTER_FIELD',
  // a TLS protocol error (for example a plain-HTTP server on an https: URL)
  'EPROTO',
])

const isTlsCode = (code: string): boolean =>
  CERTIFICATE_CODES.has(code) || code.startsWith('ERR_SSL_') || code.startsWith('ERR_TLS_')

const kindOfCode = (code: string): TransportFailureKind => {
  if (CONNECT_CODES.has(code)) return 'connect'
  if (RESET_CODES.has(code)) return 'reset'
  if (isTlsCode(code)) return 'tls'
  // llhttp refuses a header block larger than Node's limit: the reply was too large
  if (code === 'HPE_HEADER_OVERFLOW') return 'response-too-large'
  // Any other parse error means what answered does not speak HTTP: to the core, nothing (an
  // HTTP server) answered, as fetch reports it, so both shells read it alike (docs/protocol.md §2.1).
  if (code.startsWith('HPE_')) return 'connect'
  return 'other'
}

/**
 * A failure azmi decided itself (a proxy refused, a pin did not match) carried through Node's
 * error channels, such as the callback of a request's `createConnection`, so that it reaches
 * the request's `error` listener, and {@link failureFromError}, unchanged.
 */
export class TransportFailureError extends Error {
  readonly failure: TransportFailure
  constructor(failure: TransportFailure) {
    super(failure.detail)
    this.name = 'TransportFailureError'
    this.failure = failure
  }
}

const codeOf = (error: unknown): string | undefined => {
  if (typeof error !== 'object' || error === null || !('code' in error)) return undefined
  return typeof error.code === 'string' ? error.code : undefined
}

const messageOf = (error: unknown): string =>
  error instanceof Error && error.message !== '' ? error.message : 'no message'

/** Classify an error raised by `node:http`, `node:https`, `node:net` or `node:tls`. */
export const failureFromError = (error: unknown): TransportFailure => {
  if (error instanceof TransportFailureError) return error.failure
  const code = codeOf(error)
  if (code === undefined) return transportFailure('other', messageOf(error))
  return transportFailure(kindOfCode(code), `${code}: ${messageOf(error)}`)
}
