/**
 * One token request, retried as its schedule says, ending in a token or a typed error: what
 * App Service, Service Fabric, Azure ML and Cloud Shell do, and what IMDS and Arc build on.
 *
 * @since 0.1.0
 */
import { pipe } from 'fp-ts/lib/function.js'
import type { HttpRequest } from './http.js'
import { flatMap, fromEither, type Plan } from './plan.js'
import { tokenFromOutcome } from './reply.js'
import { type RetrySchedule, sendWithRetry, withRetryOptions } from './retry.js'
import type { TokenRequest } from './source.js'
import type { SourceName } from './sourceList.js'
import type { AccessToken } from './token.js'

/** Send `httpRequest` with `schedule`'s retries and read the last outcome as a token. */
export const exchangeForToken = (
  source: SourceName,
  httpRequest: HttpRequest,
  schedule: RetrySchedule,
  request: TokenRequest,
): Plan<AccessToken> =>
  pipe(
    sendWithRetry(httpRequest, withRetryOptions(schedule, request.retry)),
    flatMap((outcome) => fromEither(tokenFromOutcome(source, outcome))),
  )
