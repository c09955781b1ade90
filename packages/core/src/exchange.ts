/**
 * One token request, retried as its schedule says, ending in a token or a typed error: what
 * App Service, Service Fabric, Azure ML and Cloud Shell do, and what IMDS and Arc build on. A
 * source that can confirm the identity of a reply passes how (docs/protocol.md §1.3).
 *
 * @since 0.1.0
 */
import * as E from 'fp-ts/lib/Either.js'
import { pipe } from 'fp-ts/lib/function.js'
import { type Confirmation, confirmIdentity } from './confirmation.js'
import type { ManagedIdentityError } from './errors.js'
import type { HttpRequest } from './http.js'
import type { Identity } from './identity.js'
import { flatMap, fromEither, type Plan, type SendOutcome } from './plan.js'
import { tokenFromOutcome } from './reply.js'
import { type RetrySchedule, sendWithRetry, withRetryOptions } from './retry.js'
import type { TokenRequest } from './source.js'
import type { SourceName } from './sourceList.js'
import type { AccessToken } from './token.js'

/** The identity asked for, and how the source's replies confirm it. */
export interface Confirm {
  readonly identity: Identity
  readonly confirmation: Confirmation
}

/** The token in `outcome`, unless the reply names another identity than the one asked for. */
export const confirmedToken = (
  source: SourceName,
  outcome: SendOutcome,
  confirm: Confirm | undefined,
): E.Either<ManagedIdentityError, AccessToken> =>
  pipe(
    tokenFromOutcome(source, outcome),
    E.flatMap((token) =>
      confirm === undefined || E.isLeft(outcome.result)
        ? E.right(token)
        : pipe(
            confirmIdentity(source, confirm.identity, outcome.result.right, confirm.confirmation),
            E.map(() => token),
          ),
    ),
  )

/** Send `httpRequest` with `schedule`'s retries and read the last outcome as a (confirmed) token. */
export const exchangeForToken = (
  source: SourceName,
  httpRequest: HttpRequest,
  schedule: RetrySchedule,
  request: TokenRequest,
  confirm?: Confirm,
): Plan<AccessToken> =>
  pipe(
    sendWithRetry(httpRequest, withRetryOptions(schedule, request.retry)),
    flatMap((outcome) => fromEither(confirmedToken(source, outcome, confirm))),
  )
