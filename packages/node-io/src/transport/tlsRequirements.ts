/**
 * What a request asks of the server's certificate, checked before any connection exists
 * (docs/protocol.md §2.3 for the pin, §2.7 for a request's own CA and server name):
 *
 * - `pin`: the leaf's SHA-1 thumbprint (Service Fabric). Alone, it replaces CA and name
 *   verification for that connection.
 * - `ca`: PEM authorities that are the ONLY ones trusted for the request: Node's `ca`
 *   replaces the bundled roots and any extra CA the transport was given.
 * - `servername`: the SNI name sent and the name the certificate must match, instead of the
 *   URL's host (the AKS token proxy is reached by address but certified by name).
 *
 * A pin together with a `ca` means both checks must pass: the chain must lead to that CA, the
 * name must match, and the leaf must carry the pin. Neither weakens the other; the core never
 * asks for both, so this only decides what a hand-written request gets.
 *
 * Over plain `http:` there is no certificate, so none of these can hold: such a request is
 * refused before connecting rather than sent (with a Service Fabric or token-proxy secret)
 * to whoever answers.
 *
 * @since 0.1.0
 */
import type { HttpRequest, TransportFailure } from '@azmi/core'
import { transportFailure } from '@azmi/core'
import type { Either } from 'fp-ts/lib/Either.js'
import { left, right } from 'fp-ts/lib/Either.js'
import { parseThumbprint } from './certificatePin.js'

/** A request's TLS requirements, parsed. All absent: ordinary verification. */
export interface TlsRequirements {
  /** The 20-byte SHA-1 the server's leaf certificate must have. */
  readonly pin: Buffer | undefined
  /** The only authorities trusted for this request (PEM). */
  readonly ca: string | undefined
  /** The name sent as SNI and matched against the certificate. */
  readonly servername: string | undefined
}

/** Whether `tls` asks for anything a shared, pooled connection cannot promise. */
export const needsOwnConnection = (tls: TlsRequirements): boolean =>
  tls.pin !== undefined || tls.ca !== undefined || tls.servername !== undefined

const nonEmpty = (text: string | undefined): string | undefined => (text === '' ? undefined : text)

const pinOf = (
  expected: string | undefined,
  secure: boolean,
): Either<TransportFailure, Buffer | undefined> => {
  if (expected === undefined) return right(undefined)
  if (!secure) {
    return left(
      transportFailure(
        'certificate-mismatch',
        'A pinned request needs an https: URL; it was not sent over http:.',
      ),
    )
  }
  const pin = parseThumbprint(expected)
  return pin === undefined
    ? left(
        transportFailure(
          'certificate-mismatch',
          'The pinned thumbprint is not 40 hexadecimal digits, so no certificate can match it.',
        ),
      )
    : right(pin)
}

/** Parse `request.tls` for a URL that is (`secure`) or is not `https:`, or say why it cannot be sent. */
export const tlsRequirementsOf = (
  request: HttpRequest,
  secure: boolean,
): Either<TransportFailure, TlsRequirements> => {
  const pin = pinOf(request.tls?.sha1Thumbprint, secure)
  if (pin._tag === 'Left') return pin
  const ca = nonEmpty(request.tls?.ca)
  const servername = nonEmpty(request.tls?.servername)
  if (!secure && (ca !== undefined || servername !== undefined)) {
    return left(
      transportFailure(
        'tls',
        'A request with its own CA or server name needs an https: URL; it was not sent over http:.',
      ),
    )
  }
  return right({ pin: pin.right, ca, servername })
}
