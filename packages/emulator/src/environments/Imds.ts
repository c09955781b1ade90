/**
 * The Azure Instance Metadata Service token endpoint, reached through the AKS pod-identity
 * host variable so that a client talks to the emulator instead of 169.254.169.254.
 *
 * @see https://learn.microsoft.com/entra/identity/managed-identities-azure-resources/how-to-use-vm-token#get-a-token-using-http
 * @module
 */
import type { RecordedRequest } from '../model.js'
import { jsonReply, notFoundReply, type Reply } from '../reply.js'
import type { IssueToken } from '../tokens.js'
import type { EmulatorState, Environment } from './Environment.js'
import {
  checkMetadataHeader,
  checkMethod,
  checkQueryParameter,
  type ErrorReply,
  resolveIdentity,
} from './requestChecks.js'

const pathPrefix = '/imds'
const tokenPath = `${pathPrefix}/metadata/identity/oauth2/token`
/**
 * AAD Pod Identity's NMI, which a pod-identity host points at, serves the token path with and
 * without a trailing slash; MSAL Node (so `@azure/identity`) sends the slash, having
 * canonicalised the URL it built from `AZURE_POD_IDENTITY_AUTHORITY_HOST`.
 */
const isTokenPath = (path: string): boolean => path === tokenPath || path === `${tokenPath}/`

const imdsError: ErrorReply = (status, code, message) =>
  jsonReply(status, { error: code, error_description: message })

const imdsIdentityParameters = { clientId: 'client_id', objectId: 'object_id', resourceId: 'msi_res_id' }

const tokenReply = (request: RecordedRequest, state: EmulatorState, issue: IssueToken): Reply => {
  const resolved = resolveIdentity(request, state.identities, imdsIdentityParameters, imdsError)
  if ('reply' in resolved) return resolved.reply
  const resource = request.query.resource ?? ''
  const token = issue({ identity: resolved.identity, audience: resource })
  // Real IMDS sends every number as a string.
  return jsonReply(200, {
    access_token: token.accessToken,
    client_id: token.identity.clientId,
    expires_in: String(token.expiresIn),
    expires_on: String(token.expiresOn),
    ext_expires_in: String(token.expiresIn),
    not_before: String(token.notBefore),
    resource,
    token_type: 'Bearer',
  })
}

/** IMDS: `GET /imds/metadata/identity/oauth2/token?api-version&resource[&client_id|object_id|msi_res_id]`. */
export const Imds: Environment = {
  name: 'Imds',
  listener: 'http',
  pathPrefix,
  isTokenPath,
  variables: (endpoints) => ({ AZURE_POD_IDENTITY_AUTHORITY_HOST: `${endpoints.http}${pathPrefix}` }),
  answer: (request, state, issue) => {
    if (!isTokenPath(request.path)) return notFoundReply(request.path)
    return (
      checkMethod(request, 'GET', imdsError) ??
      // The client's probe omits this header on purpose: any answer at all tells it IMDS is here.
      checkMetadataHeader(request, imdsError) ??
      checkQueryParameter(request, 'api-version', imdsError) ??
      checkQueryParameter(request, 'resource', imdsError) ??
      tokenReply(request, state, issue)
    )
  },
}
