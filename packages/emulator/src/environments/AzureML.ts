/**
 * The Azure Machine Learning compute identity endpoint (MSI API 2017-09-01), which may
 * report `expires_on` as a US-style date rather than epoch seconds.
 *
 * @see https://learn.microsoft.com/azure/machine-learning/how-to-identity-based-service-authentication
 * @module
 */
import type { RecordedRequest } from '../model.js'
import { jsonReply, notFoundReply, type Reply } from '../reply.js'
import type { IssueToken } from '../tokens.js'
import type { EmulatorState, Environment } from './Environment.js'
import { checkMethod, checkQueryParameter, type ErrorReply, resolveIdentity } from './requestChecks.js'

const pathPrefix = '/azureml'
const tokenPath = `${pathPrefix}/msi/token`

const azureMlError: ErrorReply = (status, code, message) =>
  jsonReply(status, { error: code, error_description: message })

const azureMlIdentityParameters = { clientId: 'clientid', objectId: 'object_id', resourceId: 'msi_res_id' }

const twoDigits = (value: number): string => String(value).padStart(2, '0')

/**
 * `M/D/YYYY h:MM:SS AM +00:00` in UTC, e.g. `1/16/2020 5:24:12 AM +00:00`: the form the
 * 2017-09-01 API uses, to the second, so it names the same instant as the token's `exp`.
 */
export const azureMlExpiryDate = (epochSeconds: number): string => {
  const date = new Date(epochSeconds * 1000)
  const hours = date.getUTCHours()
  const clockHour = hours % 12 === 0 ? 12 : hours % 12
  const day = `${date.getUTCMonth() + 1}/${date.getUTCDate()}/${date.getUTCFullYear()}`
  const time = `${clockHour}:${twoDigits(date.getUTCMinutes())}:${twoDigits(date.getUTCSeconds())}`
  return `${day} ${time} ${hours < 12 ? 'AM' : 'PM'} +00:00`
}

const checkSecretHeader = (request: RecordedRequest, state: EmulatorState): Reply | undefined =>
  request.headers.secret === state.secrets.azureMl
    ? undefined
    : azureMlError(401, 'unauthorized', 'Missing or invalid secret header')

const tokenReply = (request: RecordedRequest, state: EmulatorState, issue: IssueToken): Reply => {
  const resolved = resolveIdentity(request, state.identities, azureMlIdentityParameters, azureMlError)
  if ('reply' in resolved) return resolved.reply
  const resource = request.query.resource ?? ''
  const token = issue({ identity: resolved.identity, audience: resource })
  return jsonReply(200, {
    access_token: token.accessToken,
    expires_on: state.azureMlDateExpiry ? azureMlExpiryDate(token.expiresOn) : String(token.expiresOn),
    resource,
    token_type: 'Bearer',
  })
}

/** Azure ML: `GET /azureml/msi/token?api-version&resource[&clientid|object_id|msi_res_id]`. */
export const AzureML: Environment = {
  name: 'AzureML',
  listener: 'http',
  pathPrefix,
  isTokenPath: (path) => path === tokenPath,
  variables: (endpoints, state) => ({
    MSI_ENDPOINT: `${endpoints.http}${tokenPath}`,
    MSI_SECRET: state.secrets.azureMl,
    DEFAULT_IDENTITY_CLIENT_ID: state.identities.system.clientId,
  }),
  answer: (request, state, issue) => {
    if (request.path !== tokenPath) return notFoundReply(request.path)
    return (
      checkMethod(request, 'GET', azureMlError) ??
      checkSecretHeader(request, state) ??
      checkQueryParameter(request, 'api-version', azureMlError) ??
      checkQueryParameter(request, 'resource', azureMlError) ??
      tokenReply(request, state, issue)
    )
  },
}
