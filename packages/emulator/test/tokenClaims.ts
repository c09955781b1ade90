/**
 * Checks shared by the environment tests: a reply is a 200, its token was issued by this
 * emulator for the expected identity and audience, and every time it reports agrees with the
 * token's claims.
 */
import { expect } from 'vitest'
import type { Emulator } from '../src/index.js'
import { decodeJwtPayload } from '../src/tokens.js'
import { jsonBody, type TestReply } from './httpClient.js'

/** The claims of an emulator token. */
export type Claims = Record<string, unknown> & {
  readonly iat: number
  readonly nbf: number
  readonly exp: number
}

/** What a token reply should carry. */
export interface ExpectedToken {
  /** The emulator that issued it (its tenant, its identities). */
  readonly emulator: Emulator
  /** Which of its identities the token is for. */
  readonly who: 'user' | 'system'
  readonly audience: string
  /**
   * The expiry the reply reports, epoch seconds. Default: its `expires_on` read as a number;
   * Entra's replies have none, and then `exp` is not compared.
   */
  readonly expiresOn?: number
}

/** Asserts that `reply` is a 200 and returns its JSON body. */
export const okBody = async (reply: Promise<TestReply>): Promise<Record<string, unknown>> => {
  const received = await reply
  expect(received.status).toBe(200)
  return jsonBody(received)
}

/** Asserts that the JWT is one the emulator minted for `expected`'s identity and audience. */
const expectClaims = (accessToken: unknown, expected: ExpectedToken): Claims => {
  expect(typeof accessToken).toBe('string')
  expect(String(accessToken).split('.')).toHaveLength(3)
  const { tenantId, identities } = expected.emulator
  const identity = identities[expected.who]
  const claims = decodeJwtPayload(String(accessToken))
  expect(claims).toMatchObject({
    aud: expected.audience,
    iss: `https://sts.windows.net/${tenantId}/`,
    tid: tenantId,
    oid: identity.objectId,
    sub: identity.objectId,
    appid: identity.clientId,
    azp: identity.clientId,
  })
  const { iat, nbf, exp } = claims as Claims
  expect(nbf).toBeLessThanOrEqual(Math.ceil(Date.now() / 1000))
  expect(iat).toBe(nbf)
  expect(exp).toBeGreaterThan(Date.now() / 1000)
  return claims as Claims
}

/**
 * Asserts the token of a reply `body` (see {@link ExpectedToken}) and that the times the
 * reply reports (`expires_on`, `expires_in`, `not_before`, whichever it has) agree with the
 * token's claims. Returns the claims.
 */
export const expectIssuedToken = (body: Record<string, unknown>, expected: ExpectedToken): Claims => {
  const claims = expectClaims(body.access_token, expected)
  const expiresOn =
    expected.expiresOn ?? (body.expires_on === undefined ? undefined : Number(body.expires_on))
  if (expiresOn !== undefined) expect(claims.exp).toBe(expiresOn)
  // A freshly issued token: it expires one lifetime from now.
  if (body.expires_in !== undefined) expect(Number(body.expires_in)).toBe(claims.exp - claims.iat)
  if (body.not_before !== undefined) expect(Number(body.not_before)).toBe(claims.nbf)
  return claims
}
