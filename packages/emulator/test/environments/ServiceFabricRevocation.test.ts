import { createHash } from 'node:crypto'
import { describe, expect, test } from 'vitest'
import { decodeJwtPayload, tokenSha256 } from '../../src/index.js'
import { tokenClient } from '../clientRequests.js'
import { emulatorForFile } from '../emulatorForFile.js'
import { jsonBody } from '../httpClient.js'
import { okBody } from '../tokenClaims.js'

const emulator = await emulatorForFile()

const base = 'api-version=2019-07-01-preview&resource=https://vault.azure.net'
const serviceFabric = tokenClient(emulator, 'ServiceFabric')
const getToken = (extra: string) => serviceFabric(`${base}${extra}`)
const tokenOf = async (extra = ''): Promise<string> => String((await okBody(getToken(extra))).access_token)
const lastServiceFabricQuery = () =>
  emulator.requests.filter((request) => request.environment === 'ServiceFabric').at(-1)?.query

describe('ServiceFabric token_sha256_to_refresh', () => {
  test('naming a token it issued revokes that token and issues a different one', async () => {
    const old = await tokenOf()
    const digest = createHash('sha256').update(old, 'utf8').digest('hex')
    expect(tokenSha256(old)).toBe(digest)
    expect(emulator.isRevoked(old)).toBe(false)
    const fresh = await tokenOf(`&token_sha256_to_refresh=${digest}`)
    expect(fresh).not.toBe(old)
    expect(emulator.isRevoked(old)).toBe(true)
    expect(emulator.isRevoked(fresh)).toBe(false)
    expect(emulator.revocations.at(-1)).toMatchObject({ sha256: digest, known: true, at: expect.any(Number) })
    expect(lastServiceFabricQuery()?.token_sha256_to_refresh).toBe(digest)
  })

  test('a well-formed digest of a token it never issued is recorded as unknown, and answered', async () => {
    const digest = 'a'.repeat(64)
    await tokenOf(`&token_sha256_to_refresh=${digest}`)
    expect(emulator.revocations.at(-1)).toMatchObject({ sha256: digest, known: false })
  })

  test.each([
    ['upper-case hex', 'A'.repeat(64)],
    ['too short', 'a'.repeat(63)],
    ['not hex', 'g'.repeat(64)],
    ['empty', ''],
  ])('a digest that is %s is a 400 InvalidParameter', async (_case, digest) => {
    const reply = await getToken(`&token_sha256_to_refresh=${digest}`)
    expect(reply.status).toBe(400)
    expect(jsonBody(reply)).toMatchObject({ error: { code: 'InvalidParameter' } })
  })
})

describe('ServiceFabric xms_cc', () => {
  test('is recorded decoded and put in the new token as the xms_cc claim', async () => {
    const token = await tokenOf(`&xms_cc=${encodeURIComponent('cp1,CP2')}`)
    expect(lastServiceFabricQuery()?.xms_cc).toBe('cp1,CP2')
    expect(decodeJwtPayload(token)?.xms_cc).toEqual(['cp1', 'CP2'])
  })

  test('a token without capabilities has no xms_cc claim', async () => {
    expect(decodeJwtPayload(await tokenOf())).not.toHaveProperty('xms_cc')
  })

  test.each([
    ['an empty name', 'cp1,,cp2'],
    ['a space', 'cp 1'],
    ['nothing', ''],
  ])('a list with %s is a 400', async (_case, list) => {
    const reply = await getToken(`&xms_cc=${encodeURIComponent(list)}`)
    expect(reply.status).toBe(400)
  })

  test('both parameters together: the named token revoked, capabilities in the new one', async () => {
    const old = await tokenOf()
    const fresh = await tokenOf(`&token_sha256_to_refresh=${tokenSha256(old)}&xms_cc=cp1`)
    expect(emulator.isRevoked(old)).toBe(true)
    expect(decodeJwtPayload(fresh)?.xms_cc).toEqual(['cp1'])
    expect(lastServiceFabricQuery()).toMatchObject({
      token_sha256_to_refresh: tokenSha256(old),
      xms_cc: 'cp1',
    })
  })
})
