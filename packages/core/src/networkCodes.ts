/**
 * The stable error codes that Node, OpenSSL and llhttp attach to a networking error, mapped
 * onto the core's `TransportFailureKind`s. Every shell that runs over Node's sockets (node-io
 * directly, an Azure pipeline's client underneath) classifies by these codes, never by an
 * error's wording, which differs between clients and versions; keeping the table here means
 * the shells cannot drift apart (docs/protocol.md §1.5).
 *
 * @since 0.2.0
 */
import type { TransportFailureKind } from './http.js'

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

/** The connection existed and broke. */
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

/**
 * The failure kind of a Node networking error `code`. A broken connection is `reset`; a
 * caller that knows no reply byte had arrived reads that as `connect` (nothing answered).
 */
export const networkFailureKindOfCode = (code: string): TransportFailureKind => {
  if (CONNECT_CODES.has(code)) return 'connect'
  if (RESET_CODES.has(code)) return 'reset'
  if (isTlsCode(code)) return 'tls'
  // llhttp refuses a header block larger than Node's limit: the reply was too large
  if (code === 'HPE_HEADER_OVERFLOW') return 'response-too-large'
  // Any other parse error means what answered does not speak HTTP: to the core, nothing (an
  // HTTP server) answered, as fetch reports it, so every shell reads it alike (docs/protocol.md §2.1).
  if (code.startsWith('HPE_')) return 'connect'
  return 'other'
}

/** The string `code` an error carries (Node's, OpenSSL's, a client's), if any. */
export const errorCodeOf = (error: unknown): string | undefined => {
  if (typeof error !== 'object' || error === null || !('code' in error)) return undefined
  return typeof error.code === 'string' ? error.code : undefined
}
