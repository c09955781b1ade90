/**
 * The Service Fabric managed-identity token service. It listens on HTTPS with a cluster
 * certificate no public CA signed, which clients pin by `IDENTITY_SERVER_THUMBPRINT`.
 *
 * @see https://learn.microsoft.com/azure/service-fabric/how-to-managed-identity-service-fabric-app-code
 * @module
 */
import type { RecordedRequest } from '../model.js'
import { jsonReply, notFoundReply, type Reply } from '../reply.js'
import type { IssueToken } from '../tokens.js'
import type { EmulatorState, Environment } from './Environment.js'
import {
  checkMethod,
  checkNoIdentityParameters,
  checkQueryParameter,
  type ErrorReply,
} from './requestChecks.js'

const pathPrefix = '/servicefabric'
const tokenPath = `${pathPrefix}/metadata/identity/oauth2/token`

// Service Fabric names its error codes in PascalCase.
const serviceFabricError: ErrorReply = (status, code, message) =>
  jsonReply(status, { error: { code: code === 'invalid_request' ? 'InvalidParameter' : code, message } })

const checkSecretHeader = (request: RecordedRequest, state: EmulatorState): Reply | undefined => {
  const secret = request.headers.secret
  if (secret === undefined)
    return serviceFabricError(401, 'SecretHeaderNotFound', 'Secret is not found in the request headers.')
  return secret === state.secrets.serviceFabric
    ? undefined
    : serviceFabricError(401, 'SecretHeaderMismatch', 'The Secret header does not match.')
}

const tokenReply = (request: RecordedRequest, state: EmulatorState, issue: IssueToken): Reply => {
  const resource = request.query.resource ?? ''
  const token = issue({ identity: state.identities.system, audience: resource })
  return jsonReply(200, {
    access_token: token.accessToken,
    expires_on: token.expiresOn,
    resource,
    token_type: 'Bearer',
  })
}

/** Service Fabric: `GET /servicefabric/metadata/identity/oauth2/token?api-version&resource` over pinned TLS. */
export const ServiceFabric: Environment = {
  name: 'ServiceFabric',
  listener: 'serviceFabric',
  pathPrefix,
  isTokenPath: (path) => path === tokenPath,
  variables: (endpoints, state) => ({
    IDENTITY_ENDPOINT: `${endpoints.serviceFabric}${tokenPath}`,
    IDENTITY_HEADER: state.secrets.serviceFabric,
    IDENTITY_SERVER_THUMBPRINT: state.serviceFabricThumbprint(),
  }),
  answer: (request, state, issue) => {
    if (request.path !== tokenPath) return notFoundReply(request.path)
    return (
      checkMethod(request, 'GET', serviceFabricError) ??
      checkSecretHeader(request, state) ??
      checkQueryParameter(request, 'api-version', serviceFabricError) ??
      checkQueryParameter(request, 'resource', serviceFabricError) ??
      // The identity comes from the cluster configuration; the client cannot pick another.
      checkNoIdentityParameters(request.query, serviceFabricError) ??
      tokenReply(request, state, issue)
    )
  },
}
