/**
 * The Service Fabric managed-identity token service (`docs/protocol.md §2.3`). It listens on
 * HTTPS with a cluster certificate no public CA signed, which clients pin by
 * `IDENTITY_SERVER_THUMBPRINT`. It reads the two parameters MSAL sends for revocation and
 * client capabilities: `token_sha256_to_refresh` (the lower-case hex SHA-256 of a token it
 * issued, which it then treats as revoked) and `xms_cc` (a comma list, put in the new token's
 * `xms_cc` claim).
 *
 * @see https://learn.microsoft.com/azure/service-fabric/how-to-managed-identity-service-fabric-app-code
 * @module
 */
import type { RecordedRequest } from '../model.js'
import { type ErrorReply, jsonReply, type Reply } from '../reply.js'
import type { EmulatorState, Minting } from './Environment.js'
import { type RequestCheck, rejectIdentityParameters, requireApiVersionAndResource } from './requestChecks.js'
import { tokenEndpoint } from './tokenEndpoint.js'
import { tokenReply } from './tokenReplies.js'

const tokenPath = '/servicefabric/metadata/identity/oauth2/token'
const sha256Hex = /^[0-9a-f]{64}$/
const capability = /^[A-Za-z0-9._-]+$/

// Service Fabric names its error codes in PascalCase.
const serviceFabricError: ErrorReply = (status, code, message) =>
  jsonReply(status, { error: { code: code === 'invalid_request' ? 'InvalidParameter' : code, message } })

// Service Fabric tells a missing secret from a wrong one.
const requireSecret: RequestCheck = (request, state, error) => {
  const secret = request.headers.secret
  if (secret === undefined)
    return error(401, 'SecretHeaderNotFound', 'Secret is not found in the request headers.')
  return secret === state.secrets.serviceFabric
    ? undefined
    : error(401, 'SecretHeaderMismatch', 'The Secret header does not match.')
}

/** 400 unless `token_sha256_to_refresh`, when present, is 64 lower-case hex digits. */
const requireWellFormedDigest: RequestCheck = (request, _state, error) => {
  const digest = request.query.token_sha256_to_refresh
  return digest === undefined || sha256Hex.test(digest)
    ? undefined
    : error(400, 'invalid_request', 'token_sha256_to_refresh must be a lower-case hex SHA-256')
}

/** The capabilities `xms_cc` declares, or a 400 when it is not a comma list of names. */
const capabilitiesOf = (request: RecordedRequest): ReadonlyArray<string> | { readonly reply: Reply } => {
  const list = request.query.xms_cc
  if (list === undefined) return []
  const names = list.split(',')
  return names.every((name) => capability.test(name))
    ? names
    : { reply: serviceFabricError(400, 'invalid_request', 'xms_cc must be a comma-separated list of names') }
}

const answerToken = (request: RecordedRequest, state: EmulatorState, minting: Minting): Reply => {
  const capabilities = capabilitiesOf(request)
  if ('reply' in capabilities) return capabilities.reply
  const digest = request.query.token_sha256_to_refresh
  if (digest !== undefined) state.serviceFabricTokens.refresh(digest, request.at)
  const token = minting.issue({
    identity: state.identities.system,
    audience: request.query.resource ?? '',
    ...(capabilities.length > 0 ? { extraClaims: { xms_cc: capabilities } } : {}),
  })
  state.serviceFabricTokens.remember(token.accessToken)
  return tokenReply(token, { times: ['expires_on'], numbers: 'number' })
}

/** Service Fabric: `GET /servicefabric/metadata/identity/oauth2/token?api-version&resource` over pinned TLS. */
export const ServiceFabric = tokenEndpoint({
  name: 'ServiceFabric',
  listener: 'serviceFabric',
  pathPrefix: '/servicefabric',
  tokenPaths: [tokenPath],
  canLie: false,
  variables: (endpoints, state) => ({
    IDENTITY_ENDPOINT: `${endpoints.serviceFabric}${tokenPath}`,
    IDENTITY_HEADER: state.secrets.serviceFabric,
    IDENTITY_SERVER_THUMBPRINT: state.serviceFabricThumbprint(),
  }),
  method: 'GET',
  error: serviceFabricError,
  checks: [
    requireSecret,
    ...requireApiVersionAndResource,
    // The identity comes from the cluster configuration; the client cannot pick another.
    rejectIdentityParameters,
    requireWellFormedDigest,
  ],
  answerToken,
})
