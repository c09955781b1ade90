/**
 * The Azure Cloud Shell token endpoint: a form POST with the resource in the body and no
 * query string at all.
 *
 * @see https://learn.microsoft.com/azure/cloud-shell/msi-authorization
 * @module
 */
import type { RecordedRequest } from '../model.js'
import { jsonReply, notFoundReply, type Reply } from '../reply.js'
import type { IssueToken } from '../tokens.js'
import type { EmulatorState, Environment } from './Environment.js'
import {
  checkMetadataHeader,
  checkMethod,
  checkNoIdentityParameters,
  type ErrorReply,
} from './requestChecks.js'

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

const tokenReply = (request: RecordedRequest, state: EmulatorState, issue: IssueToken): Reply => {
  const form = formFields(request)
  const resource = form.resource ?? ''
  if (resource === '')
    return cloudShellError(400, 'invalid_request', "Required parameter 'resource' not specified")
  const rejected = checkNoIdentityParameters(form, cloudShellError)
  if (rejected !== undefined) return rejected
  const token = issue({ identity: state.identities.system, audience: resource })
  return jsonReply(200, {
    access_token: token.accessToken,
    expires_in: token.expiresIn,
    expires_on: token.expiresOn,
    not_before: token.notBefore,
    resource,
    token_type: 'Bearer',
  })
}

/** Cloud Shell: `POST /cloudshell/oauth2/token` with form body `resource=R`. */
export const CloudShell: Environment = {
  name: 'CloudShell',
  listener: 'http',
  pathPrefix,
  isTokenPath: (path) => path === tokenPath,
  variables: (endpoints) => ({ MSI_ENDPOINT: `${endpoints.http}${tokenPath}` }),
  answer: (request, state, issue) => {
    if (request.path !== tokenPath) return notFoundReply(request.path)
    return (
      checkMethod(request, 'POST', cloudShellError) ??
      checkMetadataHeader(request, cloudShellError) ??
      checkNoQueryString(request) ??
      checkFormContentType(request) ??
      tokenReply(request, state, issue)
    )
  },
}
