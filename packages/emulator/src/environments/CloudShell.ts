/**
 * The Azure Cloud Shell token endpoint: a form POST with the resource in the body and no
 * query string at all (`docs/protocol.md §2.6`).
 *
 * @see https://learn.microsoft.com/azure/cloud-shell/msi-authorization
 * @module
 */
import type { RecordedRequest } from '../model.js'
import { oauthError, type Reply } from '../reply.js'
import type { EmulatorState, Minting } from './Environment.js'
import {
  formFields,
  identityParametersRejection,
  isFormBody,
  type RequestCheck,
  requireMetadataHeader,
} from './requestChecks.js'
import { tokenEndpoint } from './tokenEndpoint.js'
import { tokenReply } from './tokenReplies.js'

const tokenPath = '/cloudshell/oauth2/token'

const rejectQueryString: RequestCheck = (request, _state, error) =>
  Object.keys(request.query).length === 0
    ? undefined
    : error(400, 'invalid_request', 'Cloud Shell takes its parameters in the body, not the query string')

const requireFormBody: RequestCheck = (request, _state, error) =>
  isFormBody(request)
    ? undefined
    : error(400, 'invalid_request', 'Content-Type must be application/x-www-form-urlencoded')

const answerToken = (request: RecordedRequest, state: EmulatorState, minting: Minting): Reply => {
  const form = formFields(request)
  const resource = form.resource ?? ''
  if (resource === '')
    return oauthError(400, 'invalid_request', "Required parameter 'resource' not specified")
  const rejected = identityParametersRejection(form, oauthError)
  if (rejected !== undefined) return rejected
  const token = minting.issue({ identity: state.identities.system, audience: resource })
  return tokenReply(token, { times: ['expires_in', 'expires_on', 'not_before'], numbers: 'number' })
}

/** Cloud Shell: `POST /cloudshell/oauth2/token` with form body `resource=R`. */
export const CloudShell = tokenEndpoint({
  name: 'CloudShell',
  listener: 'http',
  pathPrefix: '/cloudshell',
  tokenPaths: [tokenPath],
  canLie: false,
  variables: (endpoints) => ({ MSI_ENDPOINT: `${endpoints.http}${tokenPath}` }),
  method: 'POST',
  error: oauthError,
  checks: [requireMetadataHeader, rejectQueryString, requireFormBody],
  answerToken,
})
