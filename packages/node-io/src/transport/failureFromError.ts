/**
 * Node's networking errors, mapped onto the core's `TransportFailureKind`s by the stable
 * `code` Node and OpenSSL attach to an error (the core's table), never by its message. The detail keeps Node's own wording because it names the address and the cause;
 * Node's messages for these errors never quote request headers or bodies.
 *
 * @since 0.1.0
 */
import type { TransportFailure } from '@azmi/core'
import { errorCodeOf, networkFailureKindOfCode, transportFailure } from '@azmi/core'

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

const messageOf = (error: unknown): string =>
  error instanceof Error && error.message !== '' ? error.message : 'no message'

/** Classify an error raised by `node:http`, `node:https`, `node:net` or `node:tls`. */
export const failureFromError = (error: unknown): TransportFailure => {
  if (error instanceof TransportFailureError) return error.failure
  const code = errorCodeOf(error)
  if (code === undefined) return transportFailure('other', messageOf(error))
  return transportFailure(networkFailureKindOfCode(code), `${code}: ${messageOf(error)}`)
}
