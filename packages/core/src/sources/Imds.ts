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
import { parseEndpoint, readVariable } from '../environment.js'
import { identityNotAssigned, imdsUnavailable, type ManagedIdentityError } from '../errors.js'
import { confirmedToken } from '../exchange.js'
import { type HttpRequest, type HttpResponse, withQuery } from '../http.js'
import { type Identity, identityParameter } from '../identity.js'
import { done, failed, flatMap, fromEither, note, type Plan, type SendOutcome, send } from '../plan.js'
import { redactBody } from '../redact.js'
import { isSuccess } from '../reply.js'
import { sendWithRetry, withRetryOptions } from '../retry.js'
import { toResource } from '../scope.js'
import type { SourceModule, TokenRequest } from '../source.js'
import type { AccessToken } from '../token.js'
import { parseJson, serverErrorText } from '../wire.js'
import { IDENTITY_NAMES } from './identityNames.js'
import { RETRY_SCHEDULES } from './retrySchedules.js'

/** The Instance Metadata Service: the fallback when no other environment is recognised. */
export interface Imds {
  /** The source's name. */
  readonly _tag: 'Imds'
  /** Scheme and authority (and path prefix, for a pod-identity host), no trailing slash. */
  readonly host: string
  /** Set through `AZURE_POD_IDENTITY_AUTHORITY_HOST` (AAD Pod Identity): never probed. */
  readonly podIdentity: boolean
  /** The identity asked for. */
  readonly identity: Identity
}

const DEFAULT_HOST = 'http://169.254.169.254'
const TOKEN_PATH = '/metadata/identity/oauth2/token'
const API_VERSION = '2018-02-01'

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
    ...identityParameter(source.identity, IDENTITY_NAMES.Imds.parameters),
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
 * within the probe timeout means it is not. One attempt, no retries. Either way the plan notes
 * the verdict, so the credential probes again only until a probe has passed.
 */
const probe = (source: Imds, request: TokenRequest): Plan<void> => {
  const httpRequest: HttpRequest = tokenRequest(source, request, {}, request.probeTimeoutMs)
  return send(httpRequest, (outcome) => {
    if (E.isRight(outcome.result) && !isDockerDesktopProxy(outcome.result.right))
      return note({ event: 'probe-succeeded', source: 'Imds' }, () => done(undefined))
    const why = E.isLeft(outcome.result)
      ? `no reply within ${request.probeTimeoutMs} ms (${outcome.result.left.kind})`
      : 'a proxy answered that the address is unreachable'
    const error = imdsUnavailable({
      source: 'Imds',
      message: `IMDS did not answer at ${source.host} (${why}). This is not an Azure VM, or managed identity is unreachable from here.`,
    })
    return note({ event: 'probe-failed', source: 'Imds' }, () => failed(error))
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

const unreachable = (source: Imds, kind: string): ManagedIdentityError =>
  imdsUnavailable({
    source: 'Imds',
    message: `IMDS at ${source.host} could not be reached (${kind}) after retries. This is not an Azure VM, or managed identity is unreachable from here.`,
  })

const somethingElse = (source: Imds, response: HttpResponse): ManagedIdentityError =>
  imdsUnavailable({
    source: 'Imds',
    message: `Something other than IMDS answered at ${source.host}: status ${response.status} with a body that is not JSON.`,
  })

/** IMDS's own readings of a final outcome; everything else is the shared ending. */
const interpretOutcome = (
  source: Imds,
  outcome: SendOutcome,
): E.Either<ManagedIdentityError, AccessToken> => {
  if (E.isLeft(outcome.result)) {
    const { kind } = outcome.result.left
    if (kind === 'connect' || kind === 'timeout') return E.left(unreachable(source, kind))
  } else {
    const response = outcome.result.right
    if (response.status === 400) return E.left(notAssigned(source, response))
    if (isSuccess(response) && E.isLeft(parseJson(response.body)))
      return E.left(somethingElse(source, response))
  }
  return confirmedToken('Imds', outcome, {
    identity: source.identity,
    confirmation: IDENTITY_NAMES.Imds.confirmation,
  })
}

const tokenPlan = (source: Imds, request: TokenRequest): Plan<AccessToken> =>
  pipe(
    sendWithRetry(
      tokenRequest(source, request, { Metadata: 'true' }, request.timeoutMs),
      withRetryOptions(RETRY_SCHEDULES.Imds, request.retry),
    ),
    flatMap((outcome) => fromEither(interpretOutcome(source, outcome))),
  )

export const ImdsSource: SourceModule<Imds> = {
  name: 'Imds',
  retry: RETRY_SCHEDULES.Imds,
  limited: true,
  detect: () => ({ _tag: 'Fallback', reason: 'the fallback when no other environment is recognised' }),
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
  // A pod-identity host is never probed: it is not IMDS's link-local address (docs/protocol.md §2.1).
  plan: (source, request) =>
    request.probe && !source.podIdentity
      ? pipe(
          probe(source, request),
          flatMap(() => tokenPlan(source, request)),
        )
      : tokenPlan(source, request),
  secrets: () => [],
}
