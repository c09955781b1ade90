/**
 * Never the wrong identity (docs/protocol.md §1.3): a reply to a user-assigned request may name
 * the identity it was issued for; when it names another one, the token is discarded. Azure Arc
 * must name it: a legacy agent ignores the selector and returns the machine's own identity.
 *
 * @since 0.2.0
 */
import * as E from 'fp-ts/lib/Either.js'
import * as t from 'io-ts'
import { type IdentityNotConfirmed, identityNotConfirmed } from './errors.js'
import type { HttpResponse } from './http.js'
import type { Identity, UserAssignedKind } from './identity.js'
import type { SourceName } from './sourceList.js'
import { parseJson } from './wire.js'

/** Where a source's replies name the identity, and whether they must. */
export interface Confirmation {
  /** The reply fields that may name each kind of user-assigned identity, in the order read. */
  readonly fields: { readonly [K in UserAssignedKind]: ReadonlyArray<string> }
  /** A reply that names no identity is refused (Azure Arc). */
  readonly required: boolean
}

/** The string fields of a reply, whatever else it holds. */
const ReplyFields = t.record(t.string, t.unknown)

const namedIn = (body: string, fields: ReadonlyArray<string>): readonly [string, string] | undefined => {
  const json = parseJson(body)
  const reply = E.isRight(json) ? ReplyFields.decode(json.right) : E.left([])
  if (E.isLeft(reply)) return undefined
  for (const field of fields) {
    const value = reply.right[field]
    if (typeof value === 'string' && value !== '') return [field, value]
  }
  return undefined
}

const mismatch = (source: SourceName, field: string, expected: string, actual: string | undefined) =>
  identityNotConfirmed({
    source,
    field,
    expected,
    actual,
    message:
      actual === undefined
        ? `${source} returned a token without naming the identity asked for (${field} ${expected}), so it may be another identity's; it was discarded. The Azure Connected Machine agent likely does not support user-assigned identities: update it.`
        : `${source} returned a token for another identity (${field} ${actual}, not ${expected}); it was discarded.`,
  })

/**
 * Accept `response` as the reply for `identity`, or say why not. The system-assigned identity
 * is not checked: nothing names it in the request.
 */
export const confirmIdentity = (
  source: SourceName,
  identity: Identity,
  response: HttpResponse,
  confirmation: Confirmation,
): E.Either<IdentityNotConfirmed, void> => {
  if (identity._tag === 'SystemAssigned') return E.right(undefined)
  const fields = confirmation.fields[identity._tag]
  const named = namedIn(response.body, fields)
  if (named === undefined) {
    const field = fields[0] ?? 'client_id'
    return confirmation.required
      ? E.left(mismatch(source, field, identity.value, undefined))
      : E.right(undefined)
  }
  const [field, value] = named
  return value.toLowerCase() === identity.value.toLowerCase()
    ? E.right(undefined)
    : E.left(mismatch(source, field, identity.value, value))
}
