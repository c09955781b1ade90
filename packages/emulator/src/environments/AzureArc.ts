/**
 * The Azure Arc (Hybrid Instance Metadata Service) token endpoint with its key-file
 * challenge (`docs/protocol.md §2.4`): a request without credentials gets a 401 naming a
 * fresh key file; the client reads it and repeats the request with `Authorization: Basic
 * <file contents>`. A user-assigned identity (`client_id`, `object_id` or `msi_res_id`, on
 * both legs) is honoured and echoed under the same name by a current agent; a legacy agent
 * ignores it and returns the system-assigned identity's token with no echo (MSAL Go's
 * `verifyAzureArcUserAssignedIdentity` exists because of those). `mi_res_id` is ignored by both.
 *
 * @see https://learn.microsoft.com/azure/azure-arc/servers/managed-identity-authentication
 * @module
 */
import type { RecordedRequest } from '../model.js'
import { oauthError, type Reply, withHeaders } from '../reply.js'
import type { EmulatorState, Minting } from './Environment.js'
import { requireApiVersionAndResource, requireMetadataHeader } from './requestChecks.js'
import { tokenEndpoint } from './tokenEndpoint.js'
import { type IssuedFor, issueForRequest, tokenReply } from './tokenReplies.js'

const pathPrefix = '/arc'
const tokenPath = `${pathPrefix}/metadata/identity/oauth2/token`

const arcIdentityParameters = { clientId: 'client_id', objectId: 'object_id', resourceId: 'msi_res_id' }

/** The 401 that points the client at a key file; the realm is the file's absolute path, unquoted. */
const challengeReply = (realm: string): Reply =>
  withHeaders(
    oauthError(401, 'unauthorized', 'Read the key file named in WWW-Authenticate and send it back'),
    {
      'www-authenticate': `Basic realm=${realm}`,
    },
  )

/** The key the client sent back, if it used the `Basic` scheme. */
const presentedKey = (request: RecordedRequest): string | undefined => {
  const match = /^basic (.*)$/is.exec(request.headers.authorization ?? '')
  return match?.[1]
}

/** What the agent issues: a legacy one ignores the selector (and cannot be told to lie). */
const issueFor = (request: RecordedRequest, state: EmulatorState, minting: Minting) => {
  if (state.arcAgent() === 'current')
    return issueForRequest(request, state, minting, arcIdentityParameters, oauthError, {
      clientId: false,
      selector: true,
    })
  const token = minting.issue({ identity: state.identities.system, audience: request.query.resource ?? '' })
  return { token, identityFields: {} } satisfies IssuedFor
}

const answerToken = (request: RecordedRequest, state: EmulatorState, minting: Minting): Reply => {
  const key = presentedKey(request)
  // A wrong key is treated like no key: the agent issues a fresh challenge.
  if (key === undefined || !state.arcKeys.redeem(key)) return challengeReply(state.arcKeys.create())
  const issued = issueFor(request, state, minting)
  if ('reply' in issued) return issued.reply
  const shape = { times: ['expires_in', 'expires_on', 'not_before'], numbers: 'string' } as const
  return tokenReply(issued.token, shape, issued.identityFields)
}

/** Azure Arc: `GET /arc/metadata/identity/oauth2/token?api-version&resource[&ID]`, then again with the key. */
export const AzureArc = tokenEndpoint({
  name: 'AzureArc',
  listener: 'http',
  pathPrefix,
  tokenPaths: [tokenPath],
  canLie: true,
  variables: (endpoints) => ({
    IDENTITY_ENDPOINT: `${endpoints.http}${tokenPath}`,
    IMDS_ENDPOINT: `${endpoints.http}${pathPrefix}`,
  }),
  method: 'GET',
  error: oauthError,
  checks: [requireMetadataHeader, ...requireApiVersionAndResource],
  answerToken,
  challenge: challengeReply,
})
