/**
 * Workload identity (`docs/protocol.md §2.7`): the client exchanges a federated token
 * (written to a file by the emulator, as the kubelet would) for an access token at the
 * Microsoft Entra ID token endpoint, served over HTTPS with a certificate from the test CA,
 * or, with AKS identity bindings, at the token proxy, which answers the same way.
 *
 * @see https://learn.microsoft.com/entra/identity-platform/v2-oauth2-client-creds-grant-flow#third-case-access-token-request-with-a-federated-credential
 * @module
 */

import type { EnvOptions } from '../Emulator.js'
import type { RecordedRequest } from '../model.js'
import { tokenProxyUrl } from '../mounts.js'
import { jsonReply, notFoundReply, type Reply } from '../reply.js'
import type { IssueToken } from '../tokens.js'
import type { EmulatorState, Endpoints, Environment } from './Environment.js'
import { entraError, missingField } from './entraErrors.js'
import { formFields, isFormBody } from './requestChecks.js'

const pathPrefix = '/entra'
const tokenPathPattern = /^\/entra\/([^/]+)\/oauth2\/v2\.0\/token$/
const discoveryPathPattern = /^\/entra\/([^/]+)\/v2\.0\/\.well-known\/openid-configuration$/
const jwtBearer = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer'
const defaultSuffix = '/.default'

type Form = Readonly<Record<string, string>>

const checkTenant = (tenant: string, state: EmulatorState): Reply | undefined =>
  tenant.toLowerCase() === state.tenantId.toLowerCase()
    ? undefined
    : entraError(400, 'invalid_request', 90002, `Tenant '${tenant}' not found.`)

const checkGrant = (form: Form): Reply | undefined => {
  const grantType = form.grant_type
  if (grantType === undefined) return missingField('grant_type')
  return grantType === 'client_credentials'
    ? undefined
    : entraError(
        400,
        'unsupported_grant_type',
        70003,
        `The app requested an unsupported grant type '${grantType}'.`,
      )
}

const checkClient = (form: Form, state: EmulatorState): Reply | undefined => {
  const clientId = form.client_id
  if (clientId === undefined) return missingField('client_id')
  const { user, system } = state.identities
  const known = [user.clientId, system.clientId].some((each) => each.toLowerCase() === clientId.toLowerCase())
  return known
    ? undefined
    : entraError(
        400,
        'unauthorized_client',
        700016,
        `Application with identifier '${clientId}' was not found.`,
      )
}

const checkAssertion = (form: Form, state: EmulatorState): Reply | undefined => {
  const assertion = form.client_assertion
  const assertionType = form.client_assertion_type
  if (assertion === undefined || assertionType === undefined)
    return entraError(
      401,
      'invalid_client',
      7000216,
      "'client_assertion' is required for the 'client_credentials' grant type.",
    )
  if (assertionType !== jwtBearer)
    return entraError(400, 'invalid_request', 7000219, `'client_assertion_type' must be '${jwtBearer}'.`)
  // Exact comparison: a client that trims or re-encodes the file text must fail here.
  return assertion === state.federatedToken.text
    ? undefined
    : entraError(
        401,
        'invalid_client',
        700213,
        'No matching federated identity record found for presented assertion.',
      )
}

const checkScope = (form: Form): Reply | undefined => {
  const scope = form.scope
  if (scope === undefined) return missingField('scope')
  return scope.endsWith(defaultSuffix) && !/\s/.test(scope)
    ? undefined
    : entraError(
        400,
        'invalid_scope',
        1002012,
        `The provided value for scope ${scope} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier.`,
      )
}

const entraTokenReply = (form: Form, state: EmulatorState, issue: IssueToken): Reply => {
  const clientId = (form.client_id ?? '').toLowerCase()
  const { user, system } = state.identities
  const identity = user.clientId.toLowerCase() === clientId ? user : system
  const audience = (form.scope ?? '').slice(0, -defaultSuffix.length)
  const token = issue({ identity, audience })
  return jsonReply(200, {
    token_type: 'Bearer',
    expires_in: token.expiresIn,
    ext_expires_in: token.expiresIn,
    access_token: token.accessToken,
  })
}

const answerTokenRequest = (
  request: RecordedRequest,
  tenant: string,
  state: EmulatorState,
  issue: IssueToken,
) => {
  if (request.method !== 'POST')
    return entraError(
      400,
      'invalid_request',
      900561,
      `The endpoint only accepts POST requests. Received a ${request.method} request.`,
    )
  // Entra cannot read any other body, so every field looks missing.
  const form: Form = isFormBody(request) ? formFields(request) : {}
  return (
    checkTenant(tenant, state) ??
    checkGrant(form) ??
    checkClient(form, state) ??
    checkAssertion(form, state) ??
    checkScope(form) ??
    entraTokenReply(form, state, issue)
  )
}

/** The OpenID discovery document MSAL fetches before its first token request. */
const discoveryReply = (request: RecordedRequest, tenant: string, state: EmulatorState): Reply => {
  const authority = `https://${request.headers.host ?? '127.0.0.1'}${pathPrefix}/${tenant}`
  return (
    checkTenant(tenant, state) ??
    jsonReply(200, {
      issuer: `https://login.microsoftonline.com/${state.tenantId}/v2.0`,
      token_endpoint: `${authority}/oauth2/v2.0/token`,
      authorization_endpoint: `${authority}/oauth2/v2.0/authorize`,
      end_session_endpoint: `${authority}/oauth2/v2.0/logout`,
      jwks_uri: `${authority}/discovery/v2.0/keys`,
      response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
      token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
    })
  )
}

/** The AKS identity-binding variables: the proxy URL, its server name and its CA (file or PEM). */
const tokenProxyVariables = (
  endpoints: Endpoints,
  state: EmulatorState,
  options: EnvOptions,
): Record<string, string> => {
  const { path, sniName, caFile, caPem } = state.tokenProxy
  return {
    AZURE_KUBERNETES_TOKEN_PROXY: tokenProxyUrl(endpoints.tokenProxy, path),
    AZURE_KUBERNETES_SNI_NAME: sniName,
    ...(options.tokenProxyCa === 'data'
      ? { AZURE_KUBERNETES_CA_DATA: caPem() }
      : { AZURE_KUBERNETES_CA_FILE: caFile }),
  }
}

const variables = (endpoints: Endpoints, state: EmulatorState, options: EnvOptions) => ({
  AZURE_AUTHORITY_HOST: `${endpoints.entra}${pathPrefix}`,
  AZURE_TENANT_ID: state.tenantId,
  AZURE_CLIENT_ID: state.identities.user.clientId,
  AZURE_FEDERATED_TOKEN_FILE: state.federatedToken.path,
  ...(options.tokenProxy === true ? tokenProxyVariables(endpoints, state, options) : {}),
})

/** Workload identity: `POST /entra/{tenant}/oauth2/v2.0/token` on the HTTPS Entra ID listener (or the token proxy). */
export const WorkloadIdentity: Environment = {
  name: 'WorkloadIdentity',
  listener: 'entra',
  pathPrefix,
  canLie: false,
  isTokenPath: (path) => tokenPathPattern.test(path),
  variables,
  answer: (request, state, { issue }) => {
    const token = tokenPathPattern.exec(request.path)
    if (token?.[1] !== undefined) return answerTokenRequest(request, token[1], state, issue)
    const discovery = discoveryPathPattern.exec(request.path)
    if (discovery?.[1] !== undefined && request.method === 'GET')
      return discoveryReply(request, discovery[1], state)
    return notFoundReply(request.path)
  },
}
