/**
 * Which `TransportFailureKind` a failed attempt was, decided by *where* it failed and whether
 * the deadline had fired; never by the wording of a runtime's message, which differs between
 * Node, Deno, Bun and workerd and changes between their versions.
 *
 * @since 0.1.0
 */
import type { HttpRequest, TransportFailure } from '@azmi/core'
import { interruptedFailure, transportFailure } from '@azmi/core'
import type { AttemptDeadline } from './attemptDeadline.js'
import { describeFailure } from './describeFailure.js'

/**
 * What a rejected fetch, or a failed read of its body, was. The deadline or the caller's
 * abort comes first, whatever fetch reported. Before a response, the fetch standard reports
 * every network error (refused, unreachable, DNS, TLS, a connection closed before the headers)
 * as a `TypeError`, and all of them mean that nothing answered: `connect`; anything else is a
 * bug or an injected fetch's own failure: `other`. A body that fails after the headers had
 * arrived is a connection broken mid-reply: `reset`.
 */
export const attemptFailure = (
  when: 'before-response' | 'reading-body',
  error: unknown,
  deadline: AttemptDeadline,
  request: HttpRequest,
): TransportFailure => {
  const interruption = deadline.interruption()
  if (interruption !== undefined) return interruptedFailure(interruption, request.timeoutMs)
  if (when === 'reading-body')
    return transportFailure('reset', describeFailure('the connection broke while the reply was read', error))
  return error instanceof TypeError
    ? transportFailure('connect', describeFailure('no response', error))
    : transportFailure('other', describeFailure('fetch failed', error))
}

/** The request could not even be expressed as a web `Request` (an invalid header value, say). */
export const invalidRequestFailure = (error: unknown): TransportFailure =>
  transportFailure('other', describeFailure('the request could not be built', error))

/**
 * The runtime hid a redirect. Browsers and service workers turn a `redirect: 'manual'` 3xx
 * into an opaque-redirect response (`type: 'opaqueredirect'`, status 0, no headers, no body);
 * Node, Deno, Bun and workerd hand back the real 3xx. A made-up 302 would misreport a
 * 301/307/308 and still carry no `Location`, so this is reported as what it is. azmi never
 * follows redirects either way.
 */
export const opaqueRedirectFailure = (): TransportFailure =>
  transportFailure(
    'other',
    'the server answered with a redirect, which azmi does not follow, and this runtime hides its ' +
      'status and headers (opaque-redirect response)',
  )
