/**
 * App Service, Azure Functions and Container Apps: `IDENTITY_ENDPOINT` with `IDENTITY_HEADER`.
 *
 * @see https://learn.microsoft.com/azure/app-service/overview-managed-identity#rest-endpoint-reference
 * @since 0.1.0
 */
import * as E from 'fp-ts/lib/Either.js'
import { pipe } from 'fp-ts/lib/function.js'
import { describeVariables, isSet, parseEndpoint, readHeaderSecret, readVariable } from '../environment.js'
import { exchangeForToken } from '../exchange.js'
import { withQuery } from '../http.js'
import { type Identity, identityParameter } from '../identity.js'
import { toResource } from '../scope.js'
import type { SourceModule } from '../source.js'
import { IDENTITY_NAMES } from './identityNames.js'
import { RETRY_SCHEDULES } from './retrySchedules.js'

/** App Service, Functions and Container Apps, from `IDENTITY_ENDPOINT` and `IDENTITY_HEADER`. */
export interface AppService {
  /** The source's name. */
  readonly _tag: 'AppService'
  /** The token endpoint. */
  readonly endpoint: string
  /** Secret. */
  readonly identityHeader: string
  /** The identity asked for. */
  readonly identity: Identity
}

const API_VERSION = '2019-08-01'

export const AppServiceSource: SourceModule<AppService> = {
  name: 'AppService',
  retry: RETRY_SCHEDULES.AppService,
  detect: (env) =>
    isSet(env, 'IDENTITY_ENDPOINT') && isSet(env, 'IDENTITY_HEADER')
      ? { _tag: 'Match', reason: 'IDENTITY_ENDPOINT and IDENTITY_HEADER set' }
      : { _tag: 'NoMatch', reason: describeVariables(env, ['IDENTITY_ENDPOINT', 'IDENTITY_HEADER']) },
  fromEnvironment: (env, identity) =>
    pipe(
      E.Do,
      E.apS(
        'endpoint',
        parseEndpoint('IDENTITY_ENDPOINT', readVariable(env, 'IDENTITY_ENDPOINT') ?? '', 'AppService'),
      ),
      E.apS('identityHeader', readHeaderSecret(env, 'IDENTITY_HEADER', 'AppService')),
      E.map((parts) => ({ _tag: 'AppService' as const, ...parts, identity })),
    ),
  plan: (source, request) => {
    const httpRequest = {
      method: 'GET' as const,
      url: withQuery(source.endpoint, [
        ['api-version', API_VERSION],
        ['resource', toResource(request.scope)],
        ...identityParameter(source.identity, IDENTITY_NAMES.AppService.parameters),
      ]),
      headers: { 'X-IDENTITY-HEADER': source.identityHeader, Metadata: 'true' },
      timeoutMs: request.timeoutMs,
    }
    return exchangeForToken('AppService', httpRequest, RETRY_SCHEDULES.AppService, request, {
      identity: source.identity,
      confirmation: IDENTITY_NAMES.AppService.confirmation,
    })
  },
  secrets: (source) => [source.identityHeader],
}
