/**
 * Turning the outcome of a token request into a token or a typed error: the part every
 * source shares. Sources handle their own special statuses first (IMDS's 400, Arc's 401)
 * and hand the rest here.
 *
 * @since 0.1.0
 */
import * as E from 'fp-ts/lib/Either.js'
import {
  aborted,
  certificateMismatch,
  httpError,
  type ManagedIdentityError,
  responseTooLarge,
  timeout,
  transportError,
  unsupportedRuntime,
} from './errors.js'
import type { HttpResponse, TransportFailure } from './http.js'
import type { SendOutcome } from './plan.js'
import { redactBody } from './redact.js'
import type { SourceName } from './sourceList.js'
import { type AccessToken, parseTokenReply } from './token.js'
import { serverErrorText } from './wire.js'

/** Whether the status is 2xx. */
export const isSuccess = (response: HttpResponse): boolean => response.status >= 200 && response.status < 300

/** A non-2xx reply as an `Http` error naming the status and the server's own words. */
export const errorForStatus = (source: SourceName, response: HttpResponse): ManagedIdentityError => {
  const text = serverErrorText(response.body)
  return httpError({
    source,
    status: response.status,
    body: redactBody(response.body),
    message: `${source} managed identity endpoint returned status ${response.status}${text === undefined ? '' : `: ${redactBody(text)}`}.`,
  })
}

/** What the failure knew, to word its error. */
interface FailureFacts {
  readonly source: SourceName
  readonly detail: string
  readonly timeoutMs: number
}

/** The transport failures that are more than "could not reach", each with its own error. */
const SPECIFIC_FAILURES: Partial<
  Record<TransportFailure['kind'], (facts: FailureFacts) => ManagedIdentityError>
> = {
  timeout: ({ source, timeoutMs }) =>
    timeout({
      source,
      message: `${source} managed identity endpoint did not answer within ${timeoutMs} ms. Check that the endpoint is reachable, or raise the timeout.`,
    }),
  aborted: ({ source }) => aborted({ source, message: 'The token request was aborted by the caller.' }),
  'certificate-mismatch': ({ source, detail }) =>
    certificateMismatch({
      source,
      message: `${source} endpoint's TLS certificate does not match IDENTITY_SERVER_THUMBPRINT; nothing was sent. ${detail}`,
    }),
  'pinning-unsupported': ({ source, detail }) =>
    unsupportedRuntime({
      source,
      capability: 'tlsPinning',
      message: `${source} requires pinning the cluster certificate, which this transport cannot do: ${detail}`,
    }),
  'custom-tls-unsupported': ({ source, detail }) =>
    unsupportedRuntime({
      source,
      capability: 'customTls',
      message: `${source} must be reached with its own CA or TLS server name (an AKS token proxy), which this transport cannot do: ${detail}`,
    }),
  'response-too-large': ({ source, detail }) =>
    responseTooLarge({
      source,
      message: `${source} managed identity endpoint sent a reply larger than allowed; it was discarded. ${detail}`,
    }),
}

/** A transport failure as the matching error case; `timeoutMs` is the time the attempt had. */
export const errorForFailure = (
  source: SourceName,
  failure: TransportFailure,
  timeoutMs: number,
): ManagedIdentityError => {
  const specific = SPECIFIC_FAILURES[failure.kind]
  if (specific !== undefined) return specific({ source, detail: failure.detail, timeoutMs })
  return transportError({
    source,
    kind: failure.kind,
    message: `Could not reach the ${source} managed identity endpoint (${failure.kind}): ${failure.detail}`,
  })
}

/** The shared ending: transport failure, error status, or a parsed token. */
export const tokenFromOutcome = (
  source: SourceName,
  outcome: SendOutcome,
): E.Either<ManagedIdentityError, AccessToken> => {
  if (E.isLeft(outcome.result)) return E.left(errorForFailure(source, outcome.result.left, outcome.timeoutMs))
  const response = outcome.result.right
  if (!isSuccess(response)) return E.left(errorForStatus(source, response))
  return parseTokenReply(source, response, outcome)
}
