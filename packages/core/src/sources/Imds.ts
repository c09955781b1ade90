/**
 * The Azure Instance Metadata Service: VMs, scale sets, AKS nodes, and the fallback when no
 * other environment is recognised.
 *
 * Its quirks: an optional probe (a credential chain wants to know quickly whether IMDS is
 * there at all), long retries, 400 meaning "no such identity here", and anything that is not
 * JSON meaning something else answered at the link-local address.
 *
 * @see https://learn.microsoft.com/entra/identity/managed-identities-azure-resources/how-to-use-vm-token
 * @since 0.1.0
 */
import * as E from 'fp-ts/lib/Either.js'
import { pipe } from 'fp-ts/lib/function.js'
import { isSet, parseEndpoint, readVariable } from '../environment.js'
import { identityNotAssigned, imdsUnavailable, type ManagedIdentityError } from '../errors.js'
import { type HttpRequest, type HttpResponse, withQuery } from '../http.js'
import { type Identity, identityParameter } from '../identity.js'
import { done, failed, flatMap, fromEither, type Plan, type SendOutcome, send } from '../plan.js'
import { redactBody } from '../redact.js'
import { isSuccess, serverErrorText, tokenFromOutcome } from '../reply.js'
import { imdsRetryPolicy, sendWithRetry, withRetryOptions } from '../retry.js'
import { toResource } from '../scope.js'
import type { SourceModule, TokenRequest } from '../source.js'
import { parseJson } from '../token.js'

export interface Imds {
  readonly _tag: 'Imds'
  /** Scheme and authority (and path prefix, for a pod-identity host), no trailing slash. */
  readonly host: string
  /** Set through `AZURE_POD_IDENTITY_AUTHORITY_HOST` (AAD Pod Identity): never probed. */
  readonly podIdentity: boolean
  readonly identity: Identity
}

const DEFAULT_HOST = 'http://169.254.169.254'
const TOKEN_PATH = '/metadata/identity/oauth2/token'
const API_VERSION = '2018-02-01'
const PARAMETERS = { ClientId: 'client_id', ObjectId: 'object_id', ResourceId: 'msi_res_id' } as const

const tokenRequest = (
  source: Imds,
  request: TokenRequest,
  headers: Record<string, string>,
  timeoutMs: number,
) => ({
  method: 'GET' as const,
  url: withQuery(`${source.host}${TOKEN_PATH}`, [
    ['api-version', API_VERSION],
    ['resource', toResource(request.scope)],
    ...identityParameter(source.identity, PARAMETERS),
  ]),
  headers,
  timeoutMs,
})

// -------------------------------------------------------------------------------------
// probe
// -------------------------------------------------------------------------------------

/** Docker Desktop's proxy answers link-local requests with a 403 that mentions this. */
const isDockerDesktopProxy = (response: HttpResponse) =>
  response.status === 403 && response.body.toLowerCase().includes('unreachable')

/**
 * Any HTTP reply to the token request without `Metadata: true` proves IMDS is there; no reply
 * within the probe timeout means it is not. One attempt, no retries.
 */
const probe = (source: Imds, request: TokenRequest): Plan<void> => {
  const httpRequest: HttpRequest = tokenRequest(source, request, {}, request.probeTimeoutMs)
  return send(httpRequest, (outcome) => {
    if (E.isRight(outcome.result) && !isDockerDesktopProxy(outcome.result.right)) return done(undefined)
    const why = E.isLeft(outcome.result)
      ? `no reply within ${request.probeTimeoutMs} ms (${outcome.result.left.kind})`
      : 'a proxy answered that the address is unreachable'
    return failed(
      imdsUnavailable({
        source: 'Imds',
        message: `IMDS did not answer at ${source.host} (${why}). This is not an Azure VM, or managed identity is unreachable from here.`,
      }),
    )
  })
}

// -------------------------------------------------------------------------------------
// token
// -------------------------------------------------------------------------------------

const notAssigned = (source: Imds, response: HttpResponse): ManagedIdentityError => {
  const text = serverErrorText(response.body)
  const what =
    source.identity._tag === 'SystemAssigned'
      ? 'No identity has been assigned to this resource'
      : 'The requested identity has not been assigned to this resource'
  return identityNotAssigned({
    source: 'Imds',
    status: response.status,
    body: redactBody(response.body),
    message: `${what}.${text === undefined ? '' : ` IMDS said: ${redactBody(text)}`}`,
  })
}

/** IMDS's own readings of a final outcome; everything else is the shared ending. */
const interpretOutcome = (source: Imds, outcome: SendOutcome, timeoutMs: number) => {
  if (E.isLeft(outcome.result)) {
    const { kind } = outcome.result.left
    if (kind === 'connect' || kind === 'timeout') {
      return E.left(
        imdsUnavailable({
          source: 'Imds',
          message: `IMDS at ${source.host} could not be reached (${kind}) after retries. This is not an Azure VM, or managed identity is unreachable from here.`,
        }),
      )
    }
  } else {
    const response = outcome.result.right
    if (response.status === 400) return E.left(notAssigned(source, response))
    if (isSuccess(response) && E.isLeft(parseJson(response.body))) {
      return E.left(
        imdsUnavailable({
          source: 'Imds',
          message: `Something other than IMDS answered at ${source.host}: status ${response.status} with a body that is not JSON.`,
        }),
      )
    }
  }
  return tokenFromOutcome('Imds', outcome, timeoutMs)
}

export const ImdsSource: SourceModule<Imds> = {
  name: 'Imds',
  detect: () => ({ _tag: 'Match', reason: 'the fallback when no other environment is recognised' }),
  fromEnvironment: (env, identity) => {
    const podHost = readVariable(env, 'AZURE_POD_IDENTITY_AUTHORITY_HOST')
    if (podHost === undefined)
      return E.right({ _tag: 'Imds', host: DEFAULT_HOST, podIdentity: false, identity })
    return pipe(
      parseEndpoint('AZURE_POD_IDENTITY_AUTHORITY_HOST', podHost.trim().replace(/^\/+|\/+$/g, ''), 'Imds'),
      E.map((host) => ({
        _tag: 'Imds' as const,
        host: host.replace(/\/+$/, ''),
        podIdentity: true,
        identity,
      })),
    )
  },
  preflight: (source, request) => (source.podIdentity ? done(undefined) : probe(source, request)),
  plan: (source, request) => {
    const httpRequest = tokenRequest(source, request, { Metadata: 'true' }, request.timeoutMs)
    return pipe(
      sendWithRetry(httpRequest, withRetryOptions(imdsRetryPolicy, request.retry), request.deadline),
      flatMap((outcome) => fromEither(interpretOutcome(source, outcome, request.timeoutMs))),
    )
  },
  secrets: () => [],
}

/** Whether IMDS would be chosen (only as the fallback); for explanations. */
export const imdsNote = (env: Parameters<typeof isSet>[0]): string =>
  isSet(env, 'AZURE_POD_IDENTITY_AUTHORITY_HOST')
    ? 'AZURE_POD_IDENTITY_AUTHORITY_HOST set: IMDS requests go to that host'
    : 'IMDS at http://169.254.169.254'
