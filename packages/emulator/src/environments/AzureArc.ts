/**
 * The Azure Arc (Hybrid Instance Metadata Service) token endpoint with its key-file
 * challenge: a request without credentials gets a 401 naming a fresh key file; the client
 * reads it and repeats the request with `Authorization: Basic <file contents>`.
 *
 * @see https://learn.microsoft.com/azure/azure-arc/servers/managed-identity-authentication
 * @module
 */
import type { RecordedRequest } from '../model.js'
import { jsonReply, notFoundReply, type Reply } from '../reply.js'
import type { IssueToken } from '../tokens.js'
import type { EmulatorState, Environment } from './Environment.js'
import {
  checkMetadataHeader,
  checkMethod,
  checkNoIdentityParameters,
  checkQueryParameter,
  type ErrorReply,
} from './requestChecks.js'

const pathPrefix = '/arc'
const tokenPath = `${pathPrefix}/metadata/identity/oauth2/token`

const arcError: ErrorReply = (status, code, message) =>
  jsonReply(status, { error: code, error_description: message })

/** The 401 that points the client at a key file; the realm is the file's absolute path, unquoted. */
const challengeReply = (realm: string): Reply =>
  jsonReply(
    401,
    {
      error: 'unauthorized',
      error_description: 'Read the key file named in WWW-Authenticate and send it back',
    },
    { 'www-authenticate': `Basic realm=${realm}` },
  )

/** The key the client sent back, if it used the `Basic` scheme. */
const presentedKey = (request: RecordedRequest): string | undefined => {
  const match = /^basic (.*)$/is.exec(request.headers.authorization ?? '')
  return match?.[1]
}

const tokenReply = (request: RecordedRequest, state: EmulatorState, issue: IssueToken): Reply => {
  const key = presentedKey(request)
  // A wrong key is treated like no key: the agent issues a fresh challenge.
  if (key === undefined || !state.arcKeys.redeem(key)) return challengeReply(state.arcKeys.create())
  const resource = request.query.resource ?? ''
  const token = issue({ identity: state.identities.system, audience: resource })
  return jsonReply(200, {
    access_token: token.accessToken,
    expires_in: String(token.expiresIn),
    expires_on: String(token.expiresOn),
    not_before: String(token.notBefore),
    resource,
    token_type: 'Bearer',
  })
}

/** Azure Arc: `GET /arc/metadata/identity/oauth2/token?api-version&resource`, then again with the key. */
export const AzureArc: Environment = {
  name: 'AzureArc',
  listener: 'http',
  pathPrefix,
  isTokenPath: (path) => path === tokenPath,
  variables: (endpoints) => ({
    IDENTITY_ENDPOINT: `${endpoints.http}${tokenPath}`,
    IMDS_ENDPOINT: `${endpoints.http}${pathPrefix}`,
  }),
  answer: (request, state, issue) => {
    if (request.path !== tokenPath) return notFoundReply(request.path)
    return (
      checkMethod(request, 'GET', arcError) ??
      checkMetadataHeader(request, arcError) ??
      checkQueryParameter(request, 'api-version', arcError) ??
      checkQueryParameter(request, 'resource', arcError) ??
      checkNoIdentityParameters(request.query, arcError) ??
      tokenReply(request, state, issue)
    )
  },
  challenge: challengeReply,
}
