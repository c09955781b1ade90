/**
 * What the MSI-style endpoints (IMDS, App Service, Azure ML, Arc, Service Fabric, Cloud
 * Shell) share in a token reply: the body shape, and the identity a token is issued for and
 * named as in the reply — truthfully, or, under the `lie` fault, the other identity
 * (`docs/protocol.md §1.3`, confirmation).
 *
 * @module
 */
import { type IdentityParameterNames, otherIdentity, type Selector, selectIdentity } from '../identities.js'
import type { RecordedRequest, UserAssignedIdentity } from '../model.js'
import { type ErrorReply, jsonReply, type Reply } from '../reply.js'
import type { IssuedToken } from '../tokens.js'
import type { EmulatorState, Minting } from './Environment.js'

// -------------------------------------------------------------------------------------
// body shape
// -------------------------------------------------------------------------------------

/** A time field of a token reply. */
export type TimeField = 'expires_in' | 'expires_on' | 'ext_expires_in' | 'not_before'

/** Which time fields an endpoint sends, and how. */
export interface ReplyShape {
  readonly times: ReadonlyArray<TimeField>
  /** IMDS, App Service and Arc send every number as a string; the others send numbers. */
  readonly numbers: 'string' | 'number'
  /** Sent as `expires_on` instead of the epoch seconds (Azure ML's date form). */
  readonly expiresOn?: string
}

const timeValue = (token: IssuedToken, field: TimeField): number => {
  switch (field) {
    case 'expires_in':
    case 'ext_expires_in':
      return token.expiresIn
    case 'expires_on':
      return token.expiresOn
    case 'not_before':
      return token.notBefore
  }
}

/** A 200 token reply: `access_token`, the shape's time fields, `resource`, `token_type`, then `identityFields`. */
export const tokenReply = (
  token: IssuedToken,
  shape: ReplyShape,
  identityFields: Readonly<Record<string, string>> = {},
): Reply => {
  const times = shape.times.map((field) => {
    if (field === 'expires_on' && shape.expiresOn !== undefined) return [field, shape.expiresOn]
    const value = timeValue(token, field)
    return [field, shape.numbers === 'string' ? String(value) : value]
  })
  return jsonReply(200, {
    access_token: token.accessToken,
    ...Object.fromEntries(times),
    resource: token.audience,
    token_type: 'Bearer',
    ...identityFields,
  })
}

// -------------------------------------------------------------------------------------
// identity
// -------------------------------------------------------------------------------------

/** How an environment names the identity in its replies. */
export interface EchoStyle {
  /** Always send `client_id` (IMDS and App Service document it; Azure ML is modelled alike). */
  readonly clientId: boolean
  /** Send the selector back under its own parameter name (Arc does; every environment does when lying). */
  readonly selector: boolean
}

/** The fields naming `identity`; the selector's field is named as the request named it. */
export const identityFields = (
  identity: UserAssignedIdentity,
  selector: Selector | undefined,
  style: EchoStyle,
): Record<string, string> => ({
  ...(style.clientId ? { client_id: identity.clientId } : {}),
  ...(style.selector && selector !== undefined ? { [selector.parameter]: identity[selector.field] } : {}),
})

/** A token minted for a request, with the fields that name its identity in the reply. */
export interface IssuedFor {
  readonly token: IssuedToken
  readonly identityFields: Readonly<Record<string, string>>
}

/**
 * Reads the identity the request names (`names`), mints its token for the requested
 * `resource`, and names it as `style` says. With `minting.lie` the token is for the other
 * identity, and the reply names that one, the selector's field included, so that a client
 * checking either field can tell. An unknown or doubly named identity is a 400.
 */
export const issueForRequest = (
  request: RecordedRequest,
  state: EmulatorState,
  minting: Minting,
  names: IdentityParameterNames,
  error: ErrorReply,
  style: EchoStyle,
): IssuedFor | { readonly reply: Reply } => {
  const selection = selectIdentity(state.identities, request.query, names)
  if (selection._tag === 'notFound') return { reply: error(400, 'invalid_request', 'Identity not found') }
  if (selection._tag === 'ambiguous') {
    const message = `Only one identity parameter is allowed (got ${selection.parameters.join(', ')})`
    return { reply: error(400, 'invalid_request', message) }
  }
  const identity = minting.lie ? otherIdentity(state.identities, selection.identity) : selection.identity
  const token = minting.issue({ identity, audience: request.query.resource ?? '' })
  const echo = minting.lie ? { ...style, selector: true } : style
  return { token, identityFields: identityFields(identity, selection.selector, echo) }
}

/** How an identity-aware environment answers: its parameter names, error shape, echo and body. */
export interface IdentityReplyRules {
  readonly names: IdentityParameterNames
  readonly error: ErrorReply
  readonly echo: EchoStyle
  /** The body shape, which may depend on the token (Azure ML's date expiry). */
  shape(token: IssuedToken): ReplyShape
}

/** The token reply for the identity the request names (or the 400 when it names none it can have). */
export const identityTokenReply = (
  request: RecordedRequest,
  state: EmulatorState,
  minting: Minting,
  rules: IdentityReplyRules,
): Reply => {
  const issued = issueForRequest(request, state, minting, rules.names, rules.error, rules.echo)
  if ('reply' in issued) return issued.reply
  return tokenReply(issued.token, rules.shape(issued.token), issued.identityFields)
}
