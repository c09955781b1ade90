/**
 * Protocol checks several environments share. Each returns the error reply when the
 * request breaks the rule and `undefined` when it passes, so an environment reads as a
 * chain: `checkA(...) ?? checkB(...) ?? answer(...)`.
 *
 * @module
 */
import { allIdentityParameters, presentIdentityParameters } from '../identities.js'
import type { RecordedRequest } from '../model.js'
import { type Reply, withHeaders } from '../reply.js'

/** Builds one environment's error reply in that environment's own JSON shape. */
export type ErrorReply = (status: number, code: string, message: string) => Reply

/** 405 unless the request uses `method`. */
export const checkMethod = (
  request: RecordedRequest,
  method: string,
  error: ErrorReply,
): Reply | undefined =>
  request.method === method
    ? undefined
    : withHeaders(error(405, 'invalid_request', `Only ${method} is supported`), { allow: method })

/** 400 unless the request carries `Metadata: true` (IMDS, Arc and Cloud Shell require it). */
export const checkMetadataHeader = (request: RecordedRequest, error: ErrorReply): Reply | undefined =>
  request.headers.metadata?.toLowerCase() === 'true'
    ? undefined
    : error(400, 'invalid_request', 'Required metadata header not specified')

/** 400 unless the query has a non-empty `name`. */
export const checkQueryParameter = (
  request: RecordedRequest,
  name: string,
  error: ErrorReply,
): Reply | undefined =>
  (request.query[name] ?? '') !== ''
    ? undefined
    : error(400, 'invalid_request', `Required parameter '${name}' not specified`)

/** 400 when the query names any user-assigned identity, for environments that cannot honour one. */
export const checkNoIdentityParameters = (
  query: Readonly<Record<string, string>>,
  error: ErrorReply,
): Reply | undefined => {
  const present = presentIdentityParameters(query, allIdentityParameters)
  return present.length === 0
    ? undefined
    : error(
        400,
        'invalid_request',
        `User-assigned identities are not supported here (got ${present.join(', ')})`,
      )
}
