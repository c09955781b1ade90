/**
 * One token request, retried as its policy says, ending in a token or a typed error: what
 * App Service, Service Fabric, Azure ML and Cloud Shell do, and what IMDS and Arc build on.
 *
 * @since 0.1.0
 */
import { pipe } from 'fp-ts/lib/function.js'
import type { SourceName } from './errors.js'
import type { HttpRequest } from './http.js'
import { flatMap, fromEither, type Plan } from './plan.js'
import { tokenFromOutcome } from './reply.js'
import { type RetryPolicy, sendWithRetry, withRetryOptions } from './retry.js'
import type { TokenRequest } from './source.js'
import type { AccessToken } from './token.js'

export const exchangeForToken = (
  source: SourceName,
  httpRequest: HttpRequest,
  policy: RetryPolicy,
  request: TokenRequest,
): Plan<AccessToken> =>
  pipe(
    sendWithRetry(httpRequest, withRetryOptions(policy, request.retry), request.deadline),
    flatMap((outcome) => fromEither(tokenFromOutcome(source, outcome, httpRequest.timeoutMs))),
  )
