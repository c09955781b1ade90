/**
 * Protocol checks several environments share. A check returns the error reply, in the
 * environment's own shape, when the request breaks its rule and `undefined` when it passes;
 * an endpoint lists its checks in the order the real service applies them
 * (`tokenEndpoint.ts` runs the list).
 *
 * @module
 */
import { allIdentityParameters, presentIdentityParameters } from '../identities.js'
import type { RecordedRequest } from '../model.js'
import { type ErrorReply, type Reply, withHeaders } from '../reply.js'
import type { EmulatorState } from './Environment.js'

/** One rule a request must keep; `error` builds the reply in the environment's error shape. */
export type RequestCheck = (
  request: RecordedRequest,
  state: EmulatorState,
  error: ErrorReply,
) => Reply | undefined

/** The first rejection among `checks`, or `undefined` when the request passes them all. */
export const firstRejection = (
  checks: ReadonlyArray<RequestCheck>,
  request: RecordedRequest,
  state: EmulatorState,
  error: ErrorReply,
): Reply | undefined => {
  for (const check of checks) {
    const rejection = check(request, state, error)
    if (rejection !== undefined) return rejection
  }
  return undefined
}

// -------------------------------------------------------------------------------------
// request readers
// -------------------------------------------------------------------------------------

/** Whether the body is declared a form (`application/x-www-form-urlencoded`, any parameters). */
export const isFormBody = (request: RecordedRequest): boolean =>
  (request.headers['content-type'] ?? '').toLowerCase().startsWith('application/x-www-form-urlencoded')

/** The fields of a form body; for a repeated name the last value wins. */
export const formFields = (request: RecordedRequest): Readonly<Record<string, string>> =>
  Object.fromEntries(new URLSearchParams(request.body))

// -------------------------------------------------------------------------------------
// checks
// -------------------------------------------------------------------------------------

/** 405 unless the request uses `method`. */
export const requireMethod =
  (method: string): RequestCheck =>
  (request, _state, error) =>
    request.method === method
      ? undefined
      : withHeaders(error(405, 'invalid_request', `Only ${method} is supported`), { allow: method })

/** 400 unless the request carries `Metadata: true` (IMDS, Arc and Cloud Shell require it). */
export const requireMetadataHeader: RequestCheck = (request, _state, error) =>
  request.headers.metadata?.toLowerCase() === 'true'
    ? undefined
    : error(400, 'invalid_request', 'Required metadata header not specified')

/** 400 unless the query has a non-empty `name`. */
export const requireQueryParameter =
  (name: string): RequestCheck =>
  (request, _state, error) =>
    (request.query[name] ?? '') !== ''
      ? undefined
      : error(400, 'invalid_request', `Required parameter '${name}' not specified`)

/** What every MSI-style GET endpoint requires of its query: `api-version` and `resource`. */
export const requireApiVersionAndResource: ReadonlyArray<RequestCheck> = [
  requireQueryParameter('api-version'),
  requireQueryParameter('resource'),
]

/** 401 unless header `name` holds exactly the secret the environment's variables gave out. */
export const requireSecretHeader =
  (name: string, secretOf: (state: EmulatorState) => string, message: string): RequestCheck =>
  (request, state, error) =>
    request.headers[name] === secretOf(state) ? undefined : error(401, 'unauthorized', message)

/** 400 when `fields` name any user-assigned identity, for environments that cannot honour one. */
export const identityParametersRejection = (
  fields: Readonly<Record<string, string>>,
  error: ErrorReply,
): Reply | undefined => {
  const present = presentIdentityParameters(fields, allIdentityParameters)
  return present.length === 0
    ? undefined
    : error(
        400,
        'invalid_request',
        `User-assigned identities are not supported here (got ${present.join(', ')})`,
      )
}

/** {@link identityParametersRejection} over the query. */
export const rejectIdentityParameters: RequestCheck = (request, _state, error) =>
  identityParametersRejection(request.query, error)
