/**
 * The App Service (and Functions, Container Apps) identity endpoint, version 2019-08-01.
 *
 * @see https://learn.microsoft.com/azure/app-service/overview-managed-identity#rest-endpoint-reference
 * @module
 */
import { randomUUID } from 'node:crypto'
import type { RecordedRequest } from '../model.js'
import { jsonReply, notFoundReply, type Reply } from '../reply.js'
import type { IssueToken } from '../tokens.js'
import type { EmulatorState, Environment } from './Environment.js'
import { checkMethod, checkQueryParameter, type ErrorReply, resolveIdentity } from './requestChecks.js'

const pathPrefix = '/appservice'
const tokenPath = `${pathPrefix}/msi/token`

// App Service's own error shape: a numeric status, a message and a correlation id.
const appServiceError: ErrorReply = (status, _code, message) =>
  jsonReply(status, { statusCode: status, message, correlationId: randomUUID() })

const appServiceIdentityParameters = { clientId: 'client_id', objectId: 'object_id', resourceId: 'mi_res_id' }

const checkIdentityHeader = (request: RecordedRequest, state: EmulatorState): Reply | undefined =>
  request.headers['x-identity-header'] === state.secrets.appService
    ? undefined
    : appServiceError(401, 'unauthorized', 'Unauthorized: missing or invalid X-IDENTITY-HEADER')

const tokenReply = (request: RecordedRequest, state: EmulatorState, issue: IssueToken): Reply => {
  const resolved = resolveIdentity(request, state.identities, appServiceIdentityParameters, appServiceError)
  if ('reply' in resolved)
    return appServiceError(400, 'invalid_request', 'Unable to load the proper Managed Identity.')
  const resource = request.query.resource ?? ''
  const token = issue({ identity: resolved.identity, audience: resource })
  return jsonReply(200, {
    access_token: token.accessToken,
    expires_on: String(token.expiresOn),
    resource,
    token_type: 'Bearer',
    client_id: token.identity.clientId,
  })
}

/** App Service: `GET /appservice/msi/token?api-version&resource[&client_id|object_id|mi_res_id]`. */
export const AppService: Environment = {
  name: 'AppService',
  listener: 'http',
  pathPrefix,
  isTokenPath: (path) => path === tokenPath,
  variables: (endpoints, state) => ({
    IDENTITY_ENDPOINT: `${endpoints.http}${tokenPath}`,
    IDENTITY_HEADER: state.secrets.appService,
  }),
  answer: (request, state, issue) => {
    if (request.path !== tokenPath) return notFoundReply(request.path)
    return (
      checkMethod(request, 'GET', appServiceError) ??
      checkIdentityHeader(request, state) ??
      checkQueryParameter(request, 'api-version', appServiceError) ??
      checkQueryParameter(request, 'resource', appServiceError) ??
      tokenReply(request, state, issue)
    )
  },
}
