/**
 * The Azure Machine Learning compute identity endpoint (MSI API 2017-09-01), which may
 * report `expires_on` as a US-style date rather than epoch seconds (`docs/protocol.md §2.5`).
 * No public document shows an identity field in its replies; the emulator sends `client_id`
 * as App Service does (and as MSAL.NET's Azure ML fixtures do), so that a client's
 * confirmation check has something to compare.
 *
 * @see https://learn.microsoft.com/azure/machine-learning/how-to-identity-based-service-authentication
 * @module
 */
import { oauthError } from '../reply.js'
import { requireApiVersionAndResource, requireSecretHeader } from './requestChecks.js'
import { tokenEndpoint } from './tokenEndpoint.js'
import { type IdentityReplyRules, identityTokenReply } from './tokenReplies.js'

const tokenPath = '/azureml/msi/token'

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

/** The rules of replies; `dateExpiry` is the `azureMlDateExpiry` option. */
const azureMlReplies = (dateExpiry: boolean): IdentityReplyRules => ({
  names: { clientId: 'clientid', objectId: 'object_id', resourceId: 'msi_res_id' },
  error: oauthError,
  echo: { clientId: true, selector: false },
  shape: (token) => ({
    times: ['expires_on'],
    numbers: 'string',
    ...(dateExpiry ? { expiresOn: azureMlExpiryDate(token.expiresOn) } : {}),
  }),
})

/** Azure ML: `GET /azureml/msi/token?api-version&resource[&clientid|object_id|msi_res_id]`. */
export const AzureML = tokenEndpoint({
  name: 'AzureML',
  listener: 'http',
  pathPrefix: '/azureml',
  tokenPaths: [tokenPath],
  canLie: true,
  variables: (endpoints, state) => ({
    MSI_ENDPOINT: `${endpoints.http}${tokenPath}`,
    MSI_SECRET: state.secrets.azureMl,
    DEFAULT_IDENTITY_CLIENT_ID: state.identities.system.clientId,
  }),
  method: 'GET',
  error: oauthError,
  checks: [
    requireSecretHeader('secret', (state) => state.secrets.azureMl, 'Missing or invalid secret header'),
    ...requireApiVersionAndResource,
  ],
  answerToken: (request, state, minting) =>
    identityTokenReply(request, state, minting, azureMlReplies(state.azureMlDateExpiry)),
})
