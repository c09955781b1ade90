/**
 * The shapes of what endpoints send back, as io-ts codecs, and the one JSON parser every
 * reader uses. Decoding never throws; a body that does not fit a codec is simply not that
 * shape (docs/protocol.md §3, §4).
 *
 * @since 0.2.0
 */
import * as E from 'fp-ts/lib/Either.js'
import { pipe } from 'fp-ts/lib/function.js'
import * as O from 'fp-ts/lib/Option.js'
import * as t from 'io-ts'

// -------------------------------------------------------------------------------------
// JSON
// -------------------------------------------------------------------------------------

/** `JSON.parse` without throwing. */
export const parseJson = (text: string): E.Either<string, unknown> =>
  E.tryCatch(
    () => JSON.parse(text) as unknown,
    () => 'the body is not JSON',
  )

/** Parse `text` as JSON and decode it with `codec`; `None` when either step fails. */
export const decodeJson = <A>(codec: t.Decoder<unknown, A>, text: string): O.Option<A> =>
  pipe(parseJson(text), E.flatMap(codec.decode), O.fromEither)

// -------------------------------------------------------------------------------------
// token replies
// -------------------------------------------------------------------------------------

const NonEmptyString = new t.Type<string, string, unknown>(
  'NonEmptyString',
  (u): u is string => typeof u === 'string' && u.length > 0,
  (u, c) => (typeof u === 'string' && u.length > 0 ? t.success(u) : t.failure(u, c)),
  t.identity,
)

/**
 * The fields azmi reads from any environment's token reply; others are ignored. The expiry
 * fields are decoded on their own (`expiry.ts`), because an unusable `expires_on` must fall
 * back to `expires_in` rather than fail the reply.
 */
export const TokenReply = t.intersection([
  t.type({ access_token: NonEmptyString }),
  t.partial({
    expires_on: t.unknown,
    expires_in: t.unknown,
    refresh_in: t.unknown,
    token_type: t.string,
  }),
])
export type TokenReply = t.TypeOf<typeof TokenReply>

// -------------------------------------------------------------------------------------
// error replies
// -------------------------------------------------------------------------------------

/** Microsoft Entra ID's error reply (and IMDS's, App Service's, Arc's): `{ error, error_description }`. */
export const EntraErrorBody = t.intersection([
  t.type({ error: t.string }),
  t.partial({ error_description: t.string }),
])
export type EntraErrorBody = t.TypeOf<typeof EntraErrorBody>

/** Service Fabric's error reply: `{ error: { code, message } }`. */
export const NestedErrorBody = t.type({ error: t.partial({ code: t.string, message: t.string }) })

/** Replies that carry only a message: `{ message }` (App Service, Cloud Shell) or `{ Message }`. */
export const MessageErrorBody = t.partial({ message: t.string, Message: t.string })

const firstText = (candidates: ReadonlyArray<string | undefined>): O.Option<string> =>
  O.fromNullable(candidates.find((text) => text !== undefined && text !== ''))

/** The error text a server put in its reply, in any of the shapes the environments use. */
export const serverErrorText = (body: string): string | undefined => {
  const json = parseJson(body)
  if (E.isLeft(json)) return undefined
  const fromShape = <A>(codec: t.Decoder<unknown, A>, read: (a: A) => ReadonlyArray<string | undefined>) =>
    pipe(
      O.fromEither(codec.decode(json.right)),
      O.flatMap((a) => firstText(read(a))),
    )
  return pipe(
    fromShape(t.partial({ error_description: t.string }), (reply) => [reply.error_description]),
    O.alt(() => fromShape(NestedErrorBody, (reply) => [reply.error.message])),
    O.alt(() => fromShape(MessageErrorBody, (reply) => [reply.message, reply.Message])),
    O.alt(() => fromShape(EntraErrorBody, (reply) => [reply.error])),
    O.alt(() => fromShape(NestedErrorBody, (reply) => [reply.error.code])),
    O.toUndefined,
  )
}
