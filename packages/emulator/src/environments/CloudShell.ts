/**
 * The Azure Cloud Shell token endpoint: a form POST with the resource in the body and no
 * query string at all (`docs/protocol.md §2.6`).
 *
 * @see https://learn.microsoft.com/azure/cloud-shell/msi-authorization
 * @module
 */
import type { RecordedRequest } from '../model.js'
import { jsonReply, notFoundReply, type Reply } from '../reply.js'
import type { EmulatorState, Environment, Minting } from './Environment.js'
import {
  checkMetadataHeader,
  checkMethod,
  checkNoIdentityParameters,
  type ErrorReply,
} from './requestChecks.js'
import { tokenReply } from './tokenReplies.js'

const pathPrefix = '/cloudshell'
const tokenPath = `${pathPrefix}/oauth2/token`

const cloudShellError: ErrorReply = (status, code, message) =>
  jsonReply(status, { error: code, error_description: message })

const formFields = (request: RecordedRequest): Readonly<Record<string, string>> =>
  Object.fromEntries(new URLSearchParams(request.body))

const checkNoQueryString = (request: RecordedRequest): Reply | undefined =>
  Object.keys(request.query).length === 0
    ? undefined
    : cloudShellError(
        400,
        'invalid_request',
        'Cloud Shell takes its parameters in the body, not the query string',
      )

const checkFormContentType = (request: RecordedRequest): Reply | undefined =>
  (request.headers['content-type'] ?? '').toLowerCase().startsWith('application/x-www-form-urlencoded')
    ? undefined
    : cloudShellError(400, 'invalid_request', 'Content-Type must be application/x-www-form-urlencoded')

const answerToken = (request: RecordedRequest, state: EmulatorState, minting: Minting): Reply => {
  const form = formFields(request)
  const resource = form.resource ?? ''
  if (resource === '')
    return cloudShellError(400, 'invalid_request', "Required parameter 'resource' not specified")
  const rejected = checkNoIdentityParameters(form, cloudShellError)
  if (rejected !== undefined) return rejected
  const token = minting.issue({ identity: state.identities.system, audience: resource })
  return tokenReply(token, { times: ['expires_in', 'expires_on', 'not_before'], numbers: 'number' })
}

/** Cloud Shell: `POST /cloudshell/oauth2/token` with form body `resource=R`. */
export const CloudShell: Environment = {
  name: 'CloudShell',
  listener: 'http',
  pathPrefix,
  canLie: false,
  isTokenPath: (path) => path === tokenPath,
  variables: (endpoints) => ({ MSI_ENDPOINT: `${endpoints.http}${tokenPath}` }),
  answer: (request, state, minting) => {
    if (request.path !== tokenPath) return notFoundReply(request.path)
    return (
      checkMethod(request, 'POST', cloudShellError) ??
      checkMetadataHeader(request, cloudShellError) ??
      checkNoQueryString(request) ??
      checkFormContentType(request) ??
      answerToken(request, state, minting)
    )
  },
}
