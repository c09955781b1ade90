/**
 * Azure Arc-enabled servers: `IDENTITY_ENDPOINT` with `IMDS_ENDPOINT`.
 *
 * A challenge flow: the first request is answered 401 with `WWW-Authenticate: Basic
 * realm=<key file>`; the client proves it runs with the agent's privileges by reading that
 * file and repeating the request with `Authorization: Basic <contents>`.
 *
 * @see https://learn.microsoft.com/azure/azure-arc/servers/managed-identity-authentication
 * @since 0.1.0
 */
import * as E from 'fp-ts/lib/Either.js'
import { pipe } from 'fp-ts/lib/function.js'
import type { FileFailure } from '../capabilities.js'
import { describeVariables, isSet, parseEndpoint, readVariable } from '../environment.js'
import { arcChallenge, arcKeyFile, type ManagedIdentityError, unsupportedRuntime } from '../errors.js'
import { exchangeForToken } from '../exchange.js'
import { type HttpRequest, headerValue, withQuery } from '../http.js'
import { requireSystemAssigned } from '../identity.js'
import { failed, flatMap, fromEither, type Plan, readFile } from '../plan.js'
import { errorForFailure } from '../reply.js'
import { sendWithRetry, standardRetrySchedule, withRetryOptions } from '../retry.js'
import { toResource } from '../scope.js'
import type { SourceModule, TokenRequest } from '../source.js'
import type { AccessToken } from '../token.js'
import { MAX_KEY_BYTES, validateKeyPath } from './arcKeyPath.js'

/** An Azure Arc-enabled server, from `IDENTITY_ENDPOINT` and `IMDS_ENDPOINT`. */
export interface AzureArc {
  /** The source's name. */
  readonly _tag: 'AzureArc'
  /** The agent's token endpoint. */
  readonly endpoint: string
}

const API_VERSION = '2020-06-01'
/** One realm, unquoted; `=`, quotes, commas, semicolons and control characters are refused outright. */
const CHALLENGE = /^Basic realm=([^"=,;]+)$/i
const hasControlCharacter = (text: string) => [...text].some((character) => character.charCodeAt(0) < 0x20)

/** The key path named by a 401 challenge, or why the reply is not a usable challenge. */
export const realmOfChallenge = (
  status: number,
  header: string | undefined,
): E.Either<ManagedIdentityError, string> => {
  const fail = (problem: string) =>
    E.left(
      arcChallenge({
        source: 'AzureArc',
        status,
        message: `Azure Arc endpoint ${problem}. Check that the Azure Connected Machine agent is running.`,
      }),
    )
  if (status !== 401)
    return fail(`answered the first request with status ${status} instead of a 401 challenge`)
  if (header === undefined) return fail('sent a 401 without a WWW-Authenticate header')
  const match = hasControlCharacter(header) ? null : CHALLENGE.exec(header.trim())
  return match?.[1] === undefined
    ? fail('sent a WWW-Authenticate header that is not "Basic realm=<path>"')
    : E.right(match[1])
}

const keyFileError = (failure: FileFailure): ManagedIdentityError => {
  if (failure.kind === 'unsupported') {
    return unsupportedRuntime({
      source: 'AzureArc',
      capability: 'readFile',
      message:
        "Azure Arc needs to read the agent's key file, but this runtime was given no readFile capability. Pass one to the credential.",
    })
  }
  const rule =
    failure.kind === 'not-regular-file'
      ? 'not-regular-file'
      : failure.kind === 'too-large'
        ? 'too-large'
        : 'unreadable'
  return arcKeyFile({
    source: 'AzureArc',
    rule,
    message: `Could not use the Azure Arc key file (${failure.kind}): ${failure.detail}`,
  })
}

const tokenRequest = (
  source: AzureArc,
  request: TokenRequest,
  headers: Record<string, string>,
): HttpRequest => ({
  method: 'GET',
  url: withQuery(source.endpoint, [
    ['api-version', API_VERSION],
    ['resource', toResource(request.scope)],
  ]),
  headers,
  timeoutMs: request.timeoutMs,
})

const keyedRequest = (source: AzureArc, request: TokenRequest, keyPath: string): Plan<AccessToken> =>
  readFile({ path: keyPath, maxBytes: MAX_KEY_BYTES, reuseForMs: 0 }, (result) =>
    E.isLeft(result)
      ? failed(keyFileError(result.left))
      : exchangeForToken(
          'AzureArc',
          tokenRequest(source, request, { Metadata: 'true', Authorization: `Basic ${result.right}` }),
          standardRetrySchedule,
          request,
        ),
  )

export const AzureArcSource: SourceModule<AzureArc> = {
  name: 'AzureArc',
  detect: (env) => {
    if (!isSet(env, 'IDENTITY_ENDPOINT')) return { _tag: 'NoMatch', reason: 'IDENTITY_ENDPOINT not set' }
    if (isSet(env, 'IMDS_ENDPOINT'))
      return { _tag: 'Match', reason: 'IDENTITY_ENDPOINT and IMDS_ENDPOINT set' }
    return {
      _tag: 'Stop',
      reason: `${describeVariables(env, ['IDENTITY_ENDPOINT', 'IDENTITY_HEADER', 'IMDS_ENDPOINT'])}: IDENTITY_ENDPOINT needs IDENTITY_HEADER (App Service, Service Fabric) or IMDS_ENDPOINT (Azure Arc); like the reference implementation, later sources are not tried`,
    }
  },
  fromEnvironment: (env, identity) =>
    pipe(
      requireSystemAssigned('AzureArc', identity, 'the Azure Connected Machine agent'),
      E.flatMap(() => parseEndpoint('IMDS_ENDPOINT', readVariable(env, 'IMDS_ENDPOINT') ?? '', 'AzureArc')),
      E.flatMap(() =>
        parseEndpoint('IDENTITY_ENDPOINT', readVariable(env, 'IDENTITY_ENDPOINT') ?? '', 'AzureArc'),
      ),
      E.map((endpoint) => ({ _tag: 'AzureArc' as const, endpoint })),
    ),
  plan: (source, request) =>
    pipe(
      sendWithRetry(
        tokenRequest(source, request, { Metadata: 'true' }),
        withRetryOptions(standardRetrySchedule, request.retry),
      ),
      flatMap((outcome) =>
        E.isLeft(outcome.result)
          ? failed(errorForFailure('AzureArc', outcome.result.left, outcome.timeoutMs))
          : fromEither(
              pipe(
                realmOfChallenge(
                  outcome.result.right.status,
                  headerValue(outcome.result.right, 'www-authenticate'),
                ),
                E.flatMap((path) => validateKeyPath(path, request.platform)),
              ),
            ),
      ),
      flatMap((keyPath) => keyedRequest(source, request, keyPath)),
    ),
  secrets: () => [],
}
