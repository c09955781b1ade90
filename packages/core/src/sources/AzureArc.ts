/**
 * Azure Arc-enabled servers: `IDENTITY_ENDPOINT` with `IMDS_ENDPOINT`, or the agent found by
 * its binary (docs/protocol.md §2.4).
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
import { describeVariables, type Environment, isSet, parseEndpoint, readVariable } from '../environment.js'
import { exchangeForToken } from '../exchange.js'
import { type HttpRequest, headerValue, withQuery } from '../http.js'
import { type Identity, identityParameter } from '../identity.js'
import { failed, flatMap, fromEither, type Plan, readFile } from '../plan.js'
import { errorForFailure } from '../reply.js'
import { sendWithRetry, withRetryOptions } from '../retry.js'
import { toResource } from '../scope.js'
import type { SourceModule, TokenRequest } from '../source.js'
import type { AccessToken } from '../token.js'
import { ARC_AGENT_IDENTITY_ENDPOINT, ARC_AGENT_IMDS_ENDPOINT, arcAgentPath } from './arcAgent.js'
import { keyFileError, realmOfChallenge, sendableKey } from './arcChallenge.js'
import { MAX_KEY_BYTES, validateKeyPath } from './arcKeyPath.js'
import { IDENTITY_NAMES } from './identityNames.js'
import { RETRY_SCHEDULES } from './retrySchedules.js'

/** An Azure Arc-enabled server, from `IDENTITY_ENDPOINT` and `IMDS_ENDPOINT`. */
export interface AzureArc {
  /** The source's name. */
  readonly _tag: 'AzureArc'
  /** The agent's token endpoint. */
  readonly endpoint: string
  /** The identity asked for: a user-assigned one is sent on both legs and must be confirmed. */
  readonly identity: Identity
  /** Found by the agent's binary rather than by variables: its default endpoints are used. */
  readonly byAgent: boolean
}

const API_VERSION = '2020-06-01'

const tokenRequest = (
  source: AzureArc,
  request: TokenRequest,
  headers: Record<string, string>,
): HttpRequest => ({
  method: 'GET',
  url: withQuery(source.endpoint, [
    ['api-version', API_VERSION],
    ['resource', toResource(request.scope)],
    ...identityParameter(source.identity, IDENTITY_NAMES.AzureArc.parameters),
  ]),
  headers,
  timeoutMs: request.timeoutMs,
})

const keyedRequest = (source: AzureArc, request: TokenRequest, key: string): Plan<AccessToken> =>
  exchangeForToken(
    'AzureArc',
    tokenRequest(source, request, { Metadata: 'true', Authorization: `Basic ${key}` }),
    RETRY_SCHEDULES.AzureArc,
    request,
    { identity: source.identity, confirmation: IDENTITY_NAMES.AzureArc.confirmation },
  )

const withKey = (source: AzureArc, request: TokenRequest, keyPath: string): Plan<AccessToken> =>
  readFile({ path: keyPath, maxBytes: MAX_KEY_BYTES, reuse: { _tag: 'Never' }, secret: true }, (result) =>
    pipe(
      E.isLeft(result) ? E.left(keyFileError(result.left)) : sendableKey(result.right),
      E.match(failed, (key) => keyedRequest(source, request, key)),
    ),
  )

/** The endpoints the variables name, or the agent's defaults when it was found by its binary. */
const endpointsOf = (env: Environment, byAgent: boolean) =>
  byAgent
    ? { identity: ARC_AGENT_IDENTITY_ENDPOINT, imds: ARC_AGENT_IMDS_ENDPOINT }
    : {
        identity: readVariable(env, 'IDENTITY_ENDPOINT') ?? '',
        imds: readVariable(env, 'IMDS_ENDPOINT') ?? '',
      }

const detect: SourceModule<AzureArc>['detect'] = (env, platform) => {
  if (isSet(env, 'IDENTITY_ENDPOINT') && isSet(env, 'IMDS_ENDPOINT'))
    return { _tag: 'Match', reason: 'IDENTITY_ENDPOINT and IMDS_ENDPOINT set' }
  if (isSet(env, 'IDENTITY_ENDPOINT')) {
    return {
      _tag: 'Stop',
      reason: `${describeVariables(env, ['IDENTITY_ENDPOINT', 'IDENTITY_HEADER', 'IMDS_ENDPOINT'])}: IDENTITY_ENDPOINT needs IDENTITY_HEADER (App Service, Service Fabric) or IMDS_ENDPOINT (Azure Arc); like the reference implementation, later sources are not tried`,
    }
  }
  const agent = arcAgentPath(platform)
  // the shell's fact decides; the path only names it (on Windows it needs %ProgramFiles%)
  const agentHost = platform.os === 'linux' || platform.os === 'win32'
  return platform.arcAgentInstalled === true && agentHost
    ? {
        _tag: 'Fallback',
        reason: `the Azure Arc agent is installed (${agent ?? 'its himds binary'} exists): its default endpoints`,
      }
    : {
        _tag: 'NoMatch',
        reason: `IDENTITY_ENDPOINT not set${agent === undefined ? '' : `; no Azure Arc agent at ${agent}`}`,
      }
}

export const AzureArcSource: SourceModule<AzureArc> = {
  name: 'AzureArc',
  retry: RETRY_SCHEDULES.AzureArc,
  detect,
  fromEnvironment: (env, identity, platform) => {
    const byAgent = detect(env, platform)._tag === 'Fallback'
    const endpoints = endpointsOf(env, byAgent)
    return pipe(
      parseEndpoint('IMDS_ENDPOINT', endpoints.imds, 'AzureArc'),
      E.flatMap(() => parseEndpoint('IDENTITY_ENDPOINT', endpoints.identity, 'AzureArc')),
      E.map((endpoint) => ({ _tag: 'AzureArc' as const, endpoint, identity, byAgent })),
    )
  },
  plan: (source, request) =>
    pipe(
      sendWithRetry(
        tokenRequest(source, request, { Metadata: 'true' }),
        withRetryOptions(RETRY_SCHEDULES.AzureArc, request.retry),
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
      flatMap((keyPath) => withKey(source, request, keyPath)),
    ),
  secrets: () => [],
}
