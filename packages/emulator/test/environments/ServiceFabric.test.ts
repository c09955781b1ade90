import { describe, expect, test } from 'vitest'
import { tokenClient } from '../clientRequests.js'
import { emulatorForFile } from '../emulatorForFile.js'
import { jsonBody, send } from '../httpClient.js'
import { expectIssuedToken } from '../tokenClaims.js'

const emulator = await emulatorForFile()

const resource = 'https://management.azure.com/'
const getToken = tokenClient(emulator, 'ServiceFabric')

describe('ServiceFabric', () => {
  test('env has endpoint, secret and the thumbprint of the served certificate', () => {
    const env = emulator.env('ServiceFabric')
    expect(Object.keys(env).sort()).toEqual([
      'IDENTITY_ENDPOINT',
      'IDENTITY_HEADER',
      'IDENTITY_SERVER_THUMBPRINT',
    ])
    expect(env.IDENTITY_ENDPOINT).toMatch(
      /^https:\/\/127\.0\.0\.1:\d+\/servicefabric\/metadata\/identity\/oauth2\/token$/,
    )
    expect(env.IDENTITY_SERVER_THUMBPRINT).toBe(emulator.serviceFabricThumbprint)
    expect(emulator.serviceFabricThumbprint).toMatch(/^[0-9A-F]{40}$/)
  })

  test('serves a certificate no public CA trusts', async () => {
    const env = emulator.env('ServiceFabric')
    await expect(
      send({ url: `${env.IDENTITY_ENDPOINT}?api-version=2019-07-01-preview&resource=x` }),
    ).rejects.toMatchObject({
      code: 'DEPTH_ZERO_SELF_SIGNED_CERT',
    })
  })

  test('issues a token with a numeric expires_on over TLS with the pinned certificate', async () => {
    const reply = await getToken(`api-version=2019-07-01-preview&resource=${encodeURIComponent(resource)}`)
    expect(reply.peerThumbprint).toBe(emulator.env('ServiceFabric').IDENTITY_SERVER_THUMBPRINT)
    expect(reply.status).toBe(200)
    const body = jsonBody(reply)
    expect(body).toMatchObject({ resource, token_type: 'Bearer' })
    expect(typeof body.expires_on).toBe('number')
    expectIssuedToken(body, { emulator, who: 'system', audience: resource })
  })

  test('switching certificates changes the thumbprint new connections see', async () => {
    const before = emulator.serviceFabricThumbprint
    emulator.useServiceFabricCertificate('alternate')
    try {
      const after = emulator.serviceFabricThumbprint
      expect(after).not.toBe(before)
      const reply = await getToken(`api-version=2019-07-01-preview&resource=${resource}`)
      expect(reply.peerThumbprint).toBe(after)
      expect(emulator.env('ServiceFabric').IDENTITY_SERVER_THUMBPRINT).toBe(after)
    } finally {
      emulator.useServiceFabricCertificate('primary')
    }
    expect((await getToken(`api-version=2019-07-01-preview&resource=${resource}`)).peerThumbprint).toBe(
      before,
    )
  })

  test('answers 401 SecretHeaderNotFound without the Secret header', async () => {
    const reply = await getToken(`api-version=2019-07-01-preview&resource=${resource}`, {})
    expect(reply.status).toBe(401)
    expect(jsonBody(reply)).toMatchObject({ error: { code: 'SecretHeaderNotFound' } })
  })

  test('answers 401 to a wrong secret', async () => {
    const reply = await getToken(`api-version=2019-07-01-preview&resource=${resource}`, { Secret: 'wrong' })
    expect(reply.status).toBe(401)
    expect(jsonBody(reply)).toMatchObject({ error: { code: 'SecretHeaderMismatch' } })
  })

  test.each(['client_id', 'object_id', 'msi_res_id', 'mi_res_id'])(
    'rejects the identity parameter %s',
    async (name) => {
      const reply = await getToken(`api-version=2019-07-01-preview&resource=${resource}&${name}=x`)
      expect(reply.status).toBe(400)
      expect(jsonBody(reply)).toMatchObject({ error: { code: 'InvalidParameter' } })
    },
  )
})
