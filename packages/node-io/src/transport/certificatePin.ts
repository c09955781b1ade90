/**
 * Service Fabric certificate pinning: the server's leaf certificate must have the SHA-1
 * thumbprint the environment announced, whatever CA (usually none) signed it.
 *
 * @see https://learn.microsoft.com/en-us/azure/service-fabric/how-to-managed-identity-service-fabric-app-code
 * @since 0.1.0
 */
import type { TLSSocket } from 'node:tls'
import { loadCrypto } from './httpsBuiltins.js'

const SHA1_BYTES = 20

/** Characters people put between hex pairs when they copy a thumbprint. */
const THUMBPRINT_SEPARATORS = /[\s:-]/g

/**
 * The 20 bytes an expected thumbprint stands for, or `undefined` when it is not SHA-1 hex.
 * Case is ignored and `:`, `-` and white space between digits are tolerated, so
 * `AB:CD:...` (as `openssl` and `X509Certificate.fingerprint` print it) and `abcd...` agree.
 */
export const parseThumbprint = (expected: string): Buffer | undefined => {
  const hex = expected.replace(THUMBPRINT_SEPARATORS, '')
  return /^[0-9a-fA-F]{40}$/.test(hex) ? Buffer.from(hex, 'hex') : undefined
}

/** SHA-1 of the DER encoding of the peer's leaf certificate, if the handshake produced one. */
export const peerThumbprint = (socket: TLSSocket): Buffer | undefined => {
  // Before a handshake Node returns `{}` (typed as a certificate), hence the optional `raw`.
  const raw: Buffer | undefined = socket.getPeerCertificate().raw
  return raw === undefined || raw.length === 0
    ? undefined
    : loadCrypto().createHash('sha1').update(raw).digest()
}

/** Constant-time comparison, so a server cannot learn the pin byte by byte from timing. */
export const thumbprintsMatch = (expected: Buffer, actual: Buffer): boolean =>
  expected.length === SHA1_BYTES &&
  actual.length === SHA1_BYTES &&
  loadCrypto().timingSafeEqual(expected, actual)

const formatThumbprint = (thumbprint: Buffer | undefined): string =>
  thumbprint === undefined ? 'none' : thumbprint.toString('hex').toUpperCase()

/**
 * After the handshake of a connection opened for a pinned request: `undefined` when the
 * certificate carries the pinned thumbprint, else a detail naming both thumbprints
 * (thumbprints identify certificates publicly; they are not secrets). The connection is
 * handed to the request only when this says `undefined` (see `singleUseConnection.ts`), so a
 * mismatch sends nothing.
 */
export const pinMismatch = (socket: TLSSocket, expected: Buffer): string | undefined => {
  const actual = peerThumbprint(socket)
  return actual !== undefined && thumbprintsMatch(expected, actual)
    ? undefined
    : `The server certificate's SHA-1 thumbprint is ${formatThumbprint(actual)}, ` +
        `not the pinned ${formatThumbprint(expected)}.`
}
