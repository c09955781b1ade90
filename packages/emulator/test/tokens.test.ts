import { createHmac, randomBytes } from 'node:crypto'
import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import { createIdentities } from '../src/identities.js'
import { decodeJwtPayload, issueToken, tokenIssuer } from '../src/tokens.js'

const identity = createIdentities().user
const minting = { signingKey: randomBytes(32), tenantId: 'tenant-1', lifetimeSeconds: 3600 }

describe('issueToken', () => {
  test('reported times agree with the claims, for any clock and lifetime', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 4_000_000_000 }),
        fc.integer({ min: 1, max: 10_000_000 }),
        fc.integer({ min: -100_000, max: 100_000 }),
        (now, lifetimeSeconds, offset) => {
          const token = issueToken(
            { ...minting, lifetimeSeconds },
            { identity, audience: 'a' },
            now,
            now + offset,
          )
          const claims = decodeJwtPayload(token.accessToken)
          expect(claims).toMatchObject({ exp: token.expiresOn, nbf: token.notBefore, iat: token.notBefore })
          expect(token.expiresIn).toBe(offset)
          expect(token.expiresOn - token.notBefore).toBe(lifetimeSeconds)
        },
      ),
    )
  })

  test('is an HS256 JWT signed with the minting key', () => {
    const token = issueToken(
      minting,
      { identity, audience: 'https://storage.azure.com' },
      1000,
      4600,
    ).accessToken
    const [header = '', payload = '', signature = ''] = token.split('.')
    expect(JSON.parse(Buffer.from(header, 'base64url').toString())).toEqual({ alg: 'HS256', typ: 'JWT' })
    expect(signature).toBe(
      createHmac('sha256', minting.signingKey).update(`${header}.${payload}`).digest('base64url'),
    )
    expect(decodeJwtPayload(token)).toMatchObject({
      aud: 'https://storage.azure.com',
      iss: 'https://sts.windows.net/tenant-1/',
      tid: 'tenant-1',
      oid: identity.objectId,
      appid: identity.clientId,
      xms_mirid: identity.resourceId,
    })
  })

  test('every token is different, so a test can tell a cached one from a fresh one', () => {
    const issue = tokenIssuer(minting, 'valid')
    expect(issue({ identity, audience: 'a' }).accessToken).not.toBe(
      issue({ identity, audience: 'a' }).accessToken,
    )
  })

  test('the expired issuer reports an expiry in the past', () => {
    const token = tokenIssuer(minting, 'expired')({ identity, audience: 'a' })
    expect(token.expiresOn).toBeLessThan(Date.now() / 1000)
    expect(token.expiresIn).toBeLessThan(0)
  })

  test('decodeJwtPayload rejects what is not a JWT', () => {
    expect(decodeJwtPayload('no-dots')).toBeUndefined()
    expect(decodeJwtPayload('a.!!!.c')).toBeUndefined()
  })
})
