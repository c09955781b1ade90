/**
 * The App Service (and Functions, Container Apps) identity endpoint, version 2019-08-01
 * (`docs/protocol.md §2.2`). Its replies name the identity in `client_id`, whichever of
 * `client_id`, `object_id` or `mi_res_id` the request used: that is all App Service documents.
 *
 * @see https://learn.microsoft.com/azure/app-service/overview-managed-identity#rest-endpoint-reference
 * @module
 */
import { randomUUID } from 'node:crypto'
import { type ErrorReply, jsonReply } from '../reply.js'
import { requireApiVersionAndResource, requireSecretHeader } from './requestChecks.js'
import { tokenEndpoint } from './tokenEndpoint.js'
import { type IdentityReplyRules, identityTokenReply } from './tokenReplies.js'

const tokenPath = '/appservice/msi/token'

// App Service's own error shape: a numeric status, a message and a correlation id.
const appServiceError: ErrorReply = (status, _code, message) =>
  jsonReply(status, { statusCode: status, message, correlationId: randomUUID() })

const appServiceReplies: IdentityReplyRules = {
  names: { clientId: 'client_id', objectId: 'object_id', resourceId: 'mi_res_id' },
  // App Service says the same thing whatever is wrong with the identity.
  error: (status) => appServiceError(status, '', 'Unable to load the proper Managed Identity.'),
  echo: { clientId: true, selector: false },
  shape: () => ({ times: ['expires_on'], numbers: 'string' }),
}

/** App Service: `GET /appservice/msi/token?api-version&resource[&client_id|object_id|mi_res_id]`. */
export const AppService = tokenEndpoint({
  name: 'AppService',
  listener: 'http',
  pathPrefix: '/appservice',
  tokenPaths: [tokenPath],
  canLie: true,
  variables: (endpoints, state) => ({
    IDENTITY_ENDPOINT: `${endpoints.http}${tokenPath}`,
    IDENTITY_HEADER: state.secrets.appService,
  }),
  method: 'GET',
  error: appServiceError,
  checks: [
    requireSecretHeader(
      'x-identity-header',
      (state) => state.secrets.appService,
      'Unauthorized: missing or invalid X-IDENTITY-HEADER',
    ),
    ...requireApiVersionAndResource,
  ],
  answerToken: (request, state, minting) => identityTokenReply(request, state, minting, appServiceReplies),
})
