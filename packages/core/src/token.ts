/**
 * Token replies to `AccessToken` values (docs/protocol.md §3).
 *
 * Lenient in what each environment may send (numbers or numeric strings, two date forms),
 * strict in what it accepts: a non-empty token and an expiry in the future, or a typed error
 * quoting the status and the redacted body.
 *
 * @since 0.1.0
 */
import * as E from 'fp-ts/lib/Either.js'
import { pipe } from 'fp-ts/lib/function.js'
import * as O from 'fp-ts/lib/Option.js'
import { type InvalidResponse, invalidResponse } from './errors.js'
import { ExpiresOn, Seconds } from './expiry.js'
import type { HttpResponse } from './http.js'
import { redactBody } from './redact.js'
import type { SourceName } from './sourceList.js'
import { parseJson, TokenReply } from './wire.js'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/** The `@azure/core-auth` `AccessToken` shape, so Azure SDK clients take it unchanged. */
export interface AccessToken {
  /** The bearer token. A secret: never log it. */
  readonly token: string
  /** Epoch milliseconds. */
  readonly expiresOnTimestamp: number
  /** Epoch milliseconds after which a proactive refresh is due. */
  readonly refreshAfterTimestamp?: number
  /** `@azure/core-auth` allows only these two. */
  readonly tokenType: 'Bearer' | 'pop'
}

/** When the request was sent and the reply arrived: expiry arithmetic is anchored on these. */
export interface ReplyTiming {
  /** The clock when the request was sent. */
  readonly sentAt: number
  /** The clock when the reply arrived. */
  readonly receivedAt: number
}

// -------------------------------------------------------------------------------------
// parsing
// -------------------------------------------------------------------------------------

const TWO_HOURS_MS = 2 * 60 * 60 * 1000
/** An expiry further ahead than this is not a real token's (docs/protocol.md §3). */
const ONE_YEAR_MS = 366 * 24 * 60 * 60 * 1000
/** `expires_on` has whole seconds: a two-hour token can measure up to a second short. */
const ROUNDING_MS = 1000

const decoded = (codec: typeof Seconds, value: unknown): number | undefined =>
  pipe(O.fromEither(codec.decode(value)), O.toUndefined)

const expiryOf = (reply: TokenReply, sentAt: number): number | undefined => {
  const expiresOn = reply.expires_on === undefined ? undefined : decoded(ExpiresOn, reply.expires_on)
  if (expiresOn !== undefined) return expiresOn
  const expiresIn = reply.expires_in === undefined ? undefined : decoded(Seconds, reply.expires_in)
  return expiresIn === undefined ? undefined : sentAt + expiresIn * 1000
}

const refreshAfterOf = (reply: TokenReply, sentAt: number, expiresOn: number): number | undefined => {
  const refreshIn = reply.refresh_in === undefined ? undefined : decoded(Seconds, reply.refresh_in)
  if (refreshIn !== undefined) return Math.min(expiresOn, sentAt + refreshIn * 1000)
  const lifetime = expiresOn - sentAt
  return lifetime >= TWO_HOURS_MS - ROUNDING_MS ? sentAt + Math.floor(lifetime / 2) : undefined
}

const toAccessToken = (reply: TokenReply, timing: ReplyTiming): E.Either<string, AccessToken> => {
  const expiresOn = expiryOf(reply, timing.sentAt)
  if (expiresOn === undefined) return E.left('the body has no valid "expires_on" or "expires_in"')
  if (expiresOn <= timing.receivedAt) return E.left('the token it sent has already expired')
  // `1e308` seconds is Infinity milliseconds, `1e13` seconds is past the Date range: neither is a token's
  if (!Number.isFinite(expiresOn) || expiresOn - timing.receivedAt > ONE_YEAR_MS)
    return E.left("its expiry is not a real token's (infinite, or more than a year ahead)")
  const refreshAfter = refreshAfterOf(reply, timing.sentAt, expiresOn)
  return E.right({
    token: reply.access_token,
    expiresOnTimestamp: expiresOn,
    ...(refreshAfter !== undefined && { refreshAfterTimestamp: refreshAfter }),
    tokenType: reply.token_type?.toLowerCase() === 'pop' ? 'pop' : 'Bearer',
  })
}

/**
 * A successful reply to an `AccessToken`. `sentAt` anchors `expires_in`, `refresh_in` and the
 * half-life rule; `receivedAt` rejects a token that is already expired.
 */
export const parseTokenReply = (
  source: SourceName,
  response: HttpResponse,
  timing: ReplyTiming,
): E.Either<InvalidResponse, AccessToken> => {
  const fail = (problem: string) =>
    invalidResponse({
      source,
      status: response.status,
      body: redactBody(response.body),
      message: `${source} returned status ${response.status} but ${problem}. Body: ${redactBody(response.body)}`,
    })
  return pipe(
    parseJson(response.body),
    E.flatMap((json) =>
      pipe(
        TokenReply.decode(json),
        E.mapLeft(() => 'the body has no non-empty "access_token" string'),
      ),
    ),
    E.flatMap((reply) => toAccessToken(reply, timing)),
    E.mapLeft(fail),
  )
}
