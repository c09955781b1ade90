/**
 * Azure Cloud Shell: `MSI_ENDPOINT` without `MSI_SECRET`. A form POST, no query string.
 *
 * @see https://learn.microsoft.com/azure/cloud-shell/msi-authorization
 * @since 0.1.0
 */
import * as E from 'fp-ts/lib/Either.js'
import { pipe } from 'fp-ts/lib/function.js'
import { describeVariables, isSet, parseEndpoint, readVariable } from '../environment.js'
import { exchangeForToken } from '../exchange.js'
import { formEncode } from '../http.js'
import { requireSystemAssigned } from '../identity.js'
import { toResource } from '../scope.js'
import type { SourceModule } from '../source.js'
import { RETRY_SCHEDULES } from './retrySchedules.js'

/** Azure Cloud Shell, from `MSI_ENDPOINT` alone. */
export interface CloudShell {
  /** The source's name. */
  readonly _tag: 'CloudShell'
  /** The token endpoint. */
  readonly endpoint: string
}

export const CloudShellSource: SourceModule<CloudShell> = {
  name: 'CloudShell',
  retry: RETRY_SCHEDULES.CloudShell,
  detect: (env) =>
    isSet(env, 'MSI_ENDPOINT')
      ? { _tag: 'Match', reason: 'MSI_ENDPOINT set, MSI_SECRET not set' }
      : { _tag: 'NoMatch', reason: describeVariables(env, ['MSI_ENDPOINT']) },
  fromEnvironment: (env, identity) =>
    pipe(
      requireSystemAssigned('CloudShell', identity, 'Cloud Shell (it is the signed-in user)'),
      E.flatMap(() => parseEndpoint('MSI_ENDPOINT', readVariable(env, 'MSI_ENDPOINT') ?? '', 'CloudShell')),
      E.map((endpoint) => ({ _tag: 'CloudShell' as const, endpoint })),
    ),
  plan: (source, request) =>
    exchangeForToken(
      'CloudShell',
      {
        method: 'POST',
        url: source.endpoint,
        headers: { Metadata: 'true', 'Content-Type': 'application/x-www-form-urlencoded' },
        body: formEncode([['resource', toResource(request.scope)]]),
        timeoutMs: request.timeoutMs,
      },
      RETRY_SCHEDULES.CloudShell,
      request,
    ),
  secrets: () => [],
}
