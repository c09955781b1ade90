/**
 * Workload identity (AKS and any federated credential): exchange a token the platform writes
 * to `AZURE_FEDERATED_TOKEN_FILE` for an access token from Microsoft Entra ID.
 *
 * @see https://learn.microsoft.com/entra/identity-platform/v2-oauth2-client-creds-grant-flow#third-case-access-token-request-with-a-federated-credential
 * @since 0.1.0
 */
import * as E from 'fp-ts/lib/Either.js'
import { pipe } from 'fp-ts/lib/function.js'
import * as O from 'fp-ts/lib/Option.js'
import type { FileFailure } from '../capabilities.js'
import { describeVariables, isSet, readVariable } from '../environment.js'
import {
  entraIdError,
  invalidConfiguration,
  type ManagedIdentityError,
  tokenFile,
  unsupportedRuntime,
} from '../errors.js'
import { formEncode, type HttpRequest, type HttpResponse, type TlsOptions } from '../http.js'
import type { Identity } from '../identity.js'
import { failed, flatMap, fromEither, type Plan, readFile, type SendOutcome } from '../plan.js'
import { redactBody } from '../redact.js'
import { isSuccess, tokenFromOutcome } from '../reply.js'
import { sendWithRetry, withRetryOptions } from '../retry.js'
import type { SourceModule, TokenRequest } from '../source.js'
import type { AccessToken } from '../token.js'
import { decodeJson, EntraErrorBody } from '../wire.js'
import { parseAuthorityHost } from './authorityHost.js'
import { RETRY_SCHEDULES } from './retrySchedules.js'
import { emptyCaFile, type TokenProxy, tokenProxyOf } from './tokenProxy.js'

/** Workload identity (AKS, federated credentials), from `AZURE_AUTHORITY_HOST`, `AZURE_TENANT_ID` and `AZURE_FEDERATED_TOKEN_FILE`. */
export interface WorkloadIdentity {
  /** The source's name. */
  readonly _tag: 'WorkloadIdentity'
  /** `https://host[/path]`, no trailing slash. */
  readonly authorityHost: string
  /** The tenant the token is requested in. */
  readonly tenantId: string
  /** The federated application's client id. */
  readonly clientId: string
  /** Where the platform writes the federated token. */
  readonly tokenFilePath: string
  /** The AKS token proxy the request goes to instead of the authority, if the environment names one. */
  readonly tokenProxy: TokenProxy | undefined
}

const VARIABLES = ['AZURE_AUTHORITY_HOST', 'AZURE_TENANT_ID', 'AZURE_FEDERATED_TOKEN_FILE'] as const
/** The kubelet rotates the projected token; a copy older than this is read again. */
const TOKEN_FILE_REUSE_MS = 5 * 60 * 1000
const MAX_TOKEN_FILE_BYTES = 64 * 1024
const ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer'
/** Letters, digits, `-` and `.`; never `.` or `..`, which would drop the tenant from the path. */
const TENANT_ID = /^(?!\.{1,2}$)[A-Za-z0-9.-]+$/
/** A CA bundle is a few kilobytes. */
const MAX_CA_FILE_BYTES = 64 * 1024

const clientIdOf = (env: Parameters<typeof readVariable>[0], identity: Identity) =>
  identity._tag === 'ClientId' ? identity.value : readVariable(env, 'AZURE_CLIENT_ID')

const tokenFileError = (failure: FileFailure): ManagedIdentityError =>
  failure.kind === 'unsupported'
    ? unsupportedRuntime({
        source: 'WorkloadIdentity',
        capability: 'readFile',
        message:
          'Workload identity needs to read AZURE_FEDERATED_TOKEN_FILE, but this runtime was given no readFile capability. Pass one to the credential.',
      })
    : tokenFile({
        source: 'WorkloadIdentity',
        message: `Could not read the federated token file named by AZURE_FEDERATED_TOKEN_FILE (${failure.kind}): ${failure.detail}`,
      })

/** Entra ID's errors carry `error` and `error_description`. */
const entraError = (response: HttpResponse, reply: EntraErrorBody): ManagedIdentityError =>
  entraIdError({
    source: 'WorkloadIdentity',
    status: response.status,
    error: reply.error,
    body: redactBody(response.body),
    message: `Microsoft Entra ID error '(${reply.error}) ${redactBody(reply.error_description ?? '')}'`,
  })

const interpretOutcome = (outcome: SendOutcome): E.Either<ManagedIdentityError, AccessToken> => {
  const response = E.isRight(outcome.result) ? outcome.result.right : undefined
  const reply =
    response === undefined || isSuccess(response) ? O.none : decodeJson(EntraErrorBody, response.body)
  return response !== undefined && O.isSome(reply)
    ? E.left(entraError(response, reply.value))
    : tokenFromOutcome('WorkloadIdentity', outcome)
}

/** The URL of the token request: the authority's, or the same path on the AKS token proxy. */
const tokenUrl = (source: WorkloadIdentity): string =>
  `${source.tokenProxy?.url ?? source.authorityHost}/${source.tenantId}/oauth2/v2.0/token`

const exchangeRequest = (
  source: WorkloadIdentity,
  request: TokenRequest,
  assertion: string,
  tls: TlsOptions | undefined,
): HttpRequest => ({
  method: 'POST',
  url: tokenUrl(source),
  headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
  body: formEncode([
    ['client_assertion', assertion],
    ['client_assertion_type', ASSERTION_TYPE],
    ['client_id', source.clientId],
    ['grant_type', 'client_credentials'],
    ['scope', request.scope],
  ]),
  timeoutMs: request.timeoutMs,
  ...(tls !== undefined && { tls }),
})

const exchange = (
  source: WorkloadIdentity,
  request: TokenRequest,
  assertion: string,
  tls: TlsOptions | undefined,
) =>
  pipe(
    sendWithRetry(
      exchangeRequest(source, request, assertion, tls),
      withRetryOptions(RETRY_SCHEDULES.WorkloadIdentity, request.retry),
    ),
    flatMap((outcome) => fromEither(interpretOutcome(outcome))),
  )

const caFileError = (failure: FileFailure): ManagedIdentityError =>
  failure.kind === 'unsupported'
    ? unsupportedRuntime({
        source: 'WorkloadIdentity',
        capability: 'readFile',
        message:
          'AZURE_KUBERNETES_CA_FILE must be read, but this runtime was given no readFile capability. Pass one, or use AZURE_KUBERNETES_CA_DATA.',
      })
    : invalidConfiguration({
        setting: 'AZURE_KUBERNETES_CA_FILE',
        source: 'WorkloadIdentity',
        message: `Could not read the CA file named by AZURE_KUBERNETES_CA_FILE (${failure.kind}): ${failure.detail}`,
      })

/** The TLS the token proxy is reached with; its CA file is read again before every request. */
const withProxyTls = (
  proxy: TokenProxy | undefined,
  next: (tls: TlsOptions | undefined) => Plan<AccessToken>,
) => {
  if (proxy === undefined) return next(undefined)
  const servername = proxy.servername === undefined ? {} : { servername: proxy.servername }
  const { authority } = proxy
  if (authority._tag === 'System') return next(proxy.servername === undefined ? undefined : servername)
  if (authority._tag === 'Data') return next({ ca: authority.pem, ...servername })
  const file = {
    path: authority.path,
    maxBytes: MAX_CA_FILE_BYTES,
    reuse: { _tag: 'IfEmpty' },
    secret: false,
  } as const
  return readFile(file, (result) => {
    if (E.isLeft(result)) return failed(caFileError(result.left))
    return result.right.trim() === '' ? failed(emptyCaFile()) : next({ ca: result.right, ...servername })
  })
}

const tenantError = () =>
  invalidConfiguration({
    setting: 'AZURE_TENANT_ID',
    source: 'WorkloadIdentity',
    message:
      'AZURE_TENANT_ID must be a tenant id or domain name (letters, digits, "-" and ".", not "." or "..").',
  })

const noClientId = () =>
  invalidConfiguration({
    setting: 'AZURE_CLIENT_ID',
    source: 'WorkloadIdentity',
    message:
      'Configure the environment with a client ID or pass a value for clientId (workload identity needs the client id of the federated application).',
  })

export const WorkloadIdentitySource: SourceModule<WorkloadIdentity> = {
  name: 'WorkloadIdentity',
  retry: RETRY_SCHEDULES.WorkloadIdentity,
  detect: (env) => {
    if (!VARIABLES.every((name) => isSet(env, name)))
      return { _tag: 'NoMatch', reason: describeVariables(env, VARIABLES) }
    const proxied = isSet(env, 'AZURE_KUBERNETES_TOKEN_PROXY')
      ? '; through the AKS token proxy (AZURE_KUBERNETES_TOKEN_PROXY set)'
      : ''
    return { _tag: 'Match', reason: `${VARIABLES.join(', ')} set${proxied}` }
  },
  fromEnvironment: (env, identity) => {
    const clientId = clientIdOf(env, identity)
    if (clientId === undefined) return E.left(noClientId())
    const tenantId = readVariable(env, 'AZURE_TENANT_ID') ?? ''
    if (!TENANT_ID.test(tenantId)) return E.left(tenantError())
    const tokenFilePath = readVariable(env, 'AZURE_FEDERATED_TOKEN_FILE') ?? ''
    return pipe(
      E.Do,
      E.apS('authorityHost', parseAuthorityHost(readVariable(env, 'AZURE_AUTHORITY_HOST') ?? '')),
      E.apS('tokenProxy', tokenProxyOf(env)),
      E.map((parts) => ({ _tag: 'WorkloadIdentity' as const, ...parts, tenantId, clientId, tokenFilePath })),
    )
  },
  plan: (source, request): Plan<AccessToken> =>
    readFile(
      {
        path: source.tokenFilePath,
        maxBytes: MAX_TOKEN_FILE_BYTES,
        reuse: { _tag: 'Within', ms: TOKEN_FILE_REUSE_MS },
        secret: true,
      },
      (result) =>
        E.isLeft(result)
          ? failed(tokenFileError(result.left))
          : withProxyTls(source.tokenProxy, (tls) => exchange(source, request, result.right, tls)),
    ),
  secrets: () => [],
}
