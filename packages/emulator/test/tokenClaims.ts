/** Checks shared by the environment tests: a token's claims agree with the reply and the identity. */
import { expect } from 'vitest'
import type { UserAssignedIdentity } from '../src/model.js'
import { decodeJwtPayload } from '../src/tokens.js'

export interface ExpectedToken {
  readonly audience: string
  readonly identity: UserAssignedIdentity
  readonly tenantId: string
  /** The expiry the reply reported, epoch seconds. */
  readonly expiresOn: number
}

/** Asserts the JWT's claims and returns them. */
export const expectTokenClaims = (accessToken: unknown, expected: ExpectedToken): Record<string, unknown> => {
  expect(typeof accessToken).toBe('string')
  const segments = String(accessToken).split('.')
  expect(segments).toHaveLength(3)
  const claims = decodeJwtPayload(String(accessToken))
  expect(claims).toMatchObject({
    aud: expected.audience,
    iss: `https://sts.windows.net/${expected.tenantId}/`,
    tid: expected.tenantId,
    oid: expected.identity.objectId,
    sub: expected.identity.objectId,
    appid: expected.identity.clientId,
    azp: expected.identity.clientId,
    exp: expected.expiresOn,
  })
  const { iat, nbf, exp } = claims as { iat: number; nbf: number; exp: number }
  expect(nbf).toBeLessThanOrEqual(Math.ceil(Date.now() / 1000))
  expect(iat).toBe(nbf)
  expect(exp).toBeGreaterThan(Date.now() / 1000)
  return claims ?? {}
}
