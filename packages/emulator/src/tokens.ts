/**
 * Access tokens as the emulator mints them: JWT-shaped, HS256-signed with a key that lives
 * and dies with one emulator, and carrying the claims Azure puts in managed-identity tokens
 * (Azurite's `--oauth basic` checks `aud`, `iss`, `nbf` and `exp`; it ignores signatures).
 *
 * @module
 */
import { createHmac, randomUUID } from 'node:crypto'
import type { UserAssignedIdentity } from './model.js'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/** Everything that stays the same across the tokens of one emulator. */
export interface TokenMinting {
  readonly signingKey: Buffer
  readonly tenantId: string
  readonly lifetimeSeconds: number
}

/** What a token is for: who it names and the audience (`aud`) it is valid at. */
export interface TokenGrant {
  readonly identity: UserAssignedIdentity
  readonly audience: string
  /** Claims added to the payload, e.g. `xms_cc` for the client capabilities a request declared. */
  readonly extraClaims?: Readonly<Record<string, unknown>>
}

/** A minted token with the times a reply reports about it; all times are epoch seconds. */
export interface IssuedToken {
  readonly accessToken: string
  readonly identity: UserAssignedIdentity
  readonly audience: string
  readonly notBefore: number
  readonly expiresOn: number
  /** Seconds from now until `expiresOn` (negative for an expired token). */
  readonly expiresIn: number
}

/** Mints a token for a grant; environments receive one of these, not the minting key. */
export type IssueToken = (grant: TokenGrant) => IssuedToken

/** How far in the past an `expired` fault's token ran out: well beyond any clock-skew allowance. */
const expiredAgoSeconds = 3600

// -------------------------------------------------------------------------------------
// constructors
// -------------------------------------------------------------------------------------

/**
 * An issuer reading the real clock. `validity: 'expired'` mints tokens whose `exp` (and so
 * every reported expiry) is an hour in the past, for the `malformed: 'expired'` fault.
 */
export const tokenIssuer =
  (minting: TokenMinting, validity: 'valid' | 'expired'): IssueToken =>
  (grant) => {
    const now = Math.floor(Date.now() / 1000)
    const expiresOn = validity === 'valid' ? now + minting.lifetimeSeconds : now - expiredAgoSeconds
    return issueToken(minting, grant, now, expiresOn)
  }

/** Mints one token that expires at `expiresOn` and was issued one lifetime before that. */
export const issueToken = (
  minting: TokenMinting,
  grant: TokenGrant,
  now: number,
  expiresOn: number,
): IssuedToken => {
  const issuedAt = expiresOn - minting.lifetimeSeconds
  const { identity, audience } = grant
  const payload = {
    aud: audience,
    iss: `https://sts.windows.net/${minting.tenantId}/`,
    iat: issuedAt,
    nbf: issuedAt,
    exp: expiresOn,
    // Managed-identity tokens name the identity several ways; clients and Azurite read different ones.
    oid: identity.objectId,
    sub: identity.objectId,
    appid: identity.clientId,
    azp: identity.clientId,
    tid: minting.tenantId,
    idtyp: 'app',
    xms_mirid: identity.resourceId,
    // A unique id per token, so that a test can tell a cached token from a fresh one.
    uti: randomUUID(),
    ver: '1.0',
    ...grant.extraClaims,
  }
  return {
    accessToken: encodeJwt({ alg: 'HS256', typ: 'JWT' }, payload, minting.signingKey),
    identity,
    audience,
    notBefore: issuedAt,
    expiresOn,
    expiresIn: expiresOn - now,
  }
}

// -------------------------------------------------------------------------------------
// JWT encoding
// -------------------------------------------------------------------------------------

const base64UrlJson = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url')

/** `base64url(header).base64url(payload).base64url(HMAC-SHA256 of the first two)`. */
export const encodeJwt = (header: object, payload: object, key: Buffer): string => {
  const signingInput = `${base64UrlJson(header)}.${base64UrlJson(payload)}`
  const signature = createHmac('sha256', key).update(signingInput).digest('base64url')
  return `${signingInput}.${signature}`
}

/** The payload of a JWT-shaped token, or `undefined` when it is not one. Used by tests and tools. */
export const decodeJwtPayload = (token: string): Record<string, unknown> | undefined => {
  const [, payload] = token.split('.')
  if (payload === undefined) return undefined
  try {
    const decoded: unknown = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'))
    return typeof decoded === 'object' && decoded !== null ? (decoded as Record<string, unknown>) : undefined
  } catch {
    return undefined
  }
}
