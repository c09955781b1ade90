/**
 * The Azure Instance Metadata Service token endpoint, reached through the AKS pod-identity
 * host variable so that a client talks to the emulator instead of 169.254.169.254
 * (`docs/protocol.md §2.1`). Its replies name the identity in `client_id`, as IMDS's do.
 *
 * @see https://learn.microsoft.com/entra/identity/managed-identities-azure-resources/how-to-use-vm-token#get-a-token-using-http
 * @module
 */
import { oauthError } from '../reply.js'
import { requireApiVersionAndResource, requireMetadataHeader } from './requestChecks.js'
import { tokenEndpoint } from './tokenEndpoint.js'
import { type IdentityReplyRules, identityTokenReply } from './tokenReplies.js'

const pathPrefix = '/imds'
const tokenPath = `${pathPrefix}/metadata/identity/oauth2/token`

const imdsReplies: IdentityReplyRules = {
  names: { clientId: 'client_id', objectId: 'object_id', resourceId: 'msi_res_id' },
  error: oauthError,
  echo: { clientId: true, selector: false },
  // Real IMDS sends every number as a string.
  shape: () => ({ times: ['expires_in', 'expires_on', 'ext_expires_in', 'not_before'], numbers: 'string' }),
}

/** IMDS: `GET /imds/metadata/identity/oauth2/token?api-version&resource[&client_id|object_id|msi_res_id]`. */
export const Imds = tokenEndpoint({
  name: 'Imds',
  listener: 'http',
  pathPrefix,
  /**
   * AAD Pod Identity's NMI, which a pod-identity host points at, serves the token path with and
   * without a trailing slash; MSAL Node (so `@azure/identity`) sends the slash, having
   * canonicalised the URL it built from `AZURE_POD_IDENTITY_AUTHORITY_HOST`.
   */
  tokenPaths: [tokenPath, `${tokenPath}/`],
  canLie: true,
  variables: (endpoints) => ({ AZURE_POD_IDENTITY_AUTHORITY_HOST: `${endpoints.http}${pathPrefix}` }),
  method: 'GET',
  error: oauthError,
  // The client's probe omits the Metadata header on purpose: any answer at all tells it IMDS is here.
  checks: [requireMetadataHeader, ...requireApiVersionAndResource],
  answerToken: (request, state, minting) => identityTokenReply(request, state, minting, imdsReplies),
})
