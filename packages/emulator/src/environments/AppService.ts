/**
 * The App Service (and Functions, Container Apps) identity endpoint, version 2019-08-01
 * (`docs/protocol.md §2.2`). Its replies name the identity in `client_id`, whichever of
 * `client_id`, `object_id` or `mi_res_id` the request used: that is all App Service documents.
 *
 * @see https://learn.microsoft.com/azure/app-service/overview-managed-identity#rest-endpoint-reference
 * @module
 */
import { randomUUID } from 'node:crypto'
import type { RecordedRequest } from '../model.js'
import { jsonReply, notFoundReply, type Reply } from '../reply.js'
import type { EmulatorState, Environment } from './Environment.js'
import { checkMethod, checkQueryParameter, type ErrorReply } from './requestChecks.js'
import { type IdentityReplyRules, identityTokenReply } from './tokenReplies.js'

const pathPrefix = '/appservice'
const tokenPath = `${pathPrefix}/msi/token`

// App Service's own error shape: a numeric status, a message and a correlation id.
const appServiceError: ErrorReply = (status, _code, message) =>
  jsonReply(status, { statusCode: status, message, correlationId: randomUUID() })

/** App Service says the same thing whatever is wrong with the identity. */
const identityError: ErrorReply = (status, code) =>
  appServiceError(status, code, 'Unable to load the proper Managed Identity.')

const appServiceReplies: IdentityReplyRules = {
  names: { clientId: 'client_id', objectId: 'object_id', resourceId: 'mi_res_id' },
  error: identityError,
  echo: { clientId: true, selector: false },
  shape: () => ({ times: ['expires_on'], numbers: 'string' }),
}

const checkIdentityHeader = (request: RecordedRequest, state: EmulatorState): Reply | undefined =>
  request.headers['x-identity-header'] === state.secrets.appService
    ? undefined
    : appServiceError(401, 'unauthorized', 'Unauthorized: missing or invalid X-IDENTITY-HEADER')

/** App Service: `GET /appservice/msi/token?api-version&resource[&client_id|object_id|mi_res_id]`. */
export const AppService: Environment = {
  name: 'AppService',
  listener: 'http',
  pathPrefix,
  canLie: true,
  isTokenPath: (path) => path === tokenPath,
  variables: (endpoints, state) => ({
    IDENTITY_ENDPOINT: `${endpoints.http}${tokenPath}`,
    IDENTITY_HEADER: state.secrets.appService,
  }),
  answer: (request, state, minting) => {
    if (request.path !== tokenPath) return notFoundReply(request.path)
    return (
      checkMethod(request, 'GET', appServiceError) ??
      checkIdentityHeader(request, state) ??
      checkQueryParameter(request, 'api-version', appServiceError) ??
      checkQueryParameter(request, 'resource', appServiceError) ??
      identityTokenReply(request, state, minting, appServiceReplies)
    )
  },
}
