/**
 * Azure Machine Learning compute: `MSI_ENDPOINT` with `MSI_SECRET`.
 *
 * Its quirks: the client id parameter is spelled `clientid`, the system-assigned identity is
 * named by `DEFAULT_IDENTITY_CLIENT_ID` when the platform sets it, and `expires_on` may be a
 * date string.
 *
 * @see https://learn.microsoft.com/azure/machine-learning/how-to-identity-based-service-authentication
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

/** Azure Machine Learning compute, from `MSI_ENDPOINT` and `MSI_SECRET`. */
export interface AzureML {
  /** The source's name. */
  readonly _tag: 'AzureML'
  /** The token endpoint. */
  readonly endpoint: string
  /** Secret. */
  readonly secret: string
  /** The identity asked for. */
  readonly identity: Identity
  /** The client id of the compute's system-assigned identity, when the platform names it. */
  readonly defaultClientId: string | undefined
}

const API_VERSION = '2017-09-01'

const identityQuery = (source: AzureML): ReadonlyArray<readonly [string, string]> =>
  source.identity._tag === 'SystemAssigned' && source.defaultClientId !== undefined
    ? [['clientid', source.defaultClientId]]
    : identityParameter(source.identity, IDENTITY_NAMES.AzureML.parameters)

export const AzureMLSource: SourceModule<AzureML> = {
  name: 'AzureML',
  retry: RETRY_SCHEDULES.AzureML,
  detect: (env) =>
    isSet(env, 'MSI_ENDPOINT') && isSet(env, 'MSI_SECRET')
      ? { _tag: 'Match', reason: 'MSI_ENDPOINT and MSI_SECRET set' }
      : { _tag: 'NoMatch', reason: describeVariables(env, ['MSI_ENDPOINT', 'MSI_SECRET']) },
  fromEnvironment: (env, identity) =>
    pipe(
      E.Do,
      E.apS('endpoint', parseEndpoint('MSI_ENDPOINT', readVariable(env, 'MSI_ENDPOINT') ?? '', 'AzureML')),
      E.apS('secret', readHeaderSecret(env, 'MSI_SECRET', 'AzureML')),
      E.map((parts) => ({
        _tag: 'AzureML' as const,
        ...parts,
        identity,
        defaultClientId: readVariable(env, 'DEFAULT_IDENTITY_CLIENT_ID'),
      })),
    ),
  plan: (source, request) =>
    exchangeForToken(
      'AzureML',
      {
        method: 'GET',
        url: withQuery(source.endpoint, [
          ['api-version', API_VERSION],
          ['resource', toResource(request.scope)],
          ...identityQuery(source),
        ]),
        headers: { secret: source.secret },
        timeoutMs: request.timeoutMs,
      },
      RETRY_SCHEDULES.AzureML,
      request,
      { identity: source.identity, confirmation: IDENTITY_NAMES.AzureML.confirmation },
    ),
  secrets: (source) => [source.secret],
}
