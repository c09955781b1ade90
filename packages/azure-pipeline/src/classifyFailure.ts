/**
 * Which `TransportFailureKind` a failed attempt was, decided by the error's stable `code` (the
 * pipeline's `RestError.code` carries Node's and OpenSSL's), by where it failed (before the
 * reply, or while its body was read) and by whether the attempt's own deadline fired — never by
 * the wording of a message, which differs between clients and versions.
 *
 * @since 0.1.0
 */
import {
  errorCodeOf,
  interruptedFailure,
  networkFailureKindOfCode,
  type TransportFailure,
  type TransportFailureKind,
  transportFailure,
} from '@azmi/core'
import type { Interruption } from '@azmi/fetch-io'

/** The kind of a failure before any reply byte, from its code: a reset there means nothing answered. */
const kindOfCode = (code: string): TransportFailureKind => {
  // the pipeline's code for a request that could not be sent and carried no code of its own
  if (code === 'REQUEST_SEND_ERROR') return 'connect'
  // a client that buffered the body itself and failed reading it: the reply had begun
  if (code === 'PARSE_ERROR') return 'reset'
  const kind = networkFailureKindOfCode(code)
  return kind === 'reset' ? 'connect' : kind
}

/** The error's name when it is an `Error` (the pipeline's own `AbortError` is told apart by name). */
const nameOf = (error: unknown): string | undefined => (error instanceof Error ? error.name : undefined)

const detailOf = (what: string, error: unknown): string => {
  const code = errorCodeOf(error)
  const message = error instanceof Error ? error.message : String(error)
  return `${what}: ${code === undefined ? '' : `${code}: `}${message}`
}

/** How the attempt was routed: through a proxy every connection error is the proxy's. */
export interface Route {
  /** The request went to a proxy, not to the endpoint. */
  readonly proxied: boolean
}

/**
 * `sendRequest` rejected before a reply arrived. Through a proxy, nothing but the proxy was
 * dialled, so a connection that failed is `proxy` (docs/protocol.md §1.6).
 */
export const failureBeforeReply = (
  error: unknown,
  interruption: Interruption | undefined,
  timeoutMs: number,
  route: Route,
): TransportFailure => {
  if (interruption !== undefined) return interruptedFailure(interruption, timeoutMs)
  // Only the request's own `timeout` aborts a request without our signal firing.
  if (nameOf(error) === 'AbortError') return interruptedFailure('timeout', timeoutMs)
  const code = errorCodeOf(error)
  const kind = code === undefined ? 'other' : kindOfCode(code)
  const proxyKind = route.proxied && kind === 'connect' ? 'proxy' : kind
  return transportFailure(
    proxyKind,
    detailOf(route.proxied ? 'no reply through the proxy' : 'no reply', error),
  )
}

/** The body failed after the headers had arrived: the connection broke mid-reply. */
export const failureReadingBody = (
  error: unknown,
  interruption: Interruption | undefined,
  timeoutMs: number,
): TransportFailure =>
  interruption !== undefined
    ? interruptedFailure(interruption, timeoutMs)
    : transportFailure('reset', detailOf('the connection broke while the reply was read', error))

/**
 * A `407` reply to a proxied request: only a proxy sends 407 (RFC 9110 §15.5.8), and the
 * pipeline's proxy agent replays a refused tunnel's answer as if the endpoint had sent it.
 */
export const proxyRefusal = (status: number): TransportFailure =>
  transportFailure(
    'proxy',
    `the proxy refused the request with status ${status} (credentials missing or wrong)`,
  )
