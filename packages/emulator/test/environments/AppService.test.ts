import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { type Emulator, startEmulator } from '../../src/index.js'
import { jsonBody, send } from '../httpClient.js'
import { expectTokenClaims } from '../tokenClaims.js'

let emulator: Emulator
beforeAll(async () => {
  emulator = await startEmulator()
})
afterAll(() => emulator.close())

const resource = 'https://vault.azure.net'
const getToken = (query: string, headers?: Record<string, string>) => {
  const env = emulator.env('AppService')
  return send({
    url: `${env.IDENTITY_ENDPOINT}?${query}`,
    headers: headers ?? { 'X-IDENTITY-HEADER': env.IDENTITY_HEADER ?? '', Metadata: 'true' },
  })
}

describe('AppService', () => {
  test('env names the endpoint and a random secret header', () => {
    const env = emulator.env('AppService')
    expect(Object.keys(env).sort()).toEqual(['IDENTITY_ENDPOINT', 'IDENTITY_HEADER'])
    expect(env.IDENTITY_ENDPOINT).toBe(`${emulator.url}/appservice/msi/token`)
    expect(env.IDENTITY_HEADER).toMatch(/^[0-9a-f]{32,}$/)
  })

  test('issues a system-assigned token whose expires_on is an epoch-seconds string', async () => {
    const reply = await getToken(`api-version=2019-08-01&resource=${encodeURIComponent(resource)}`)
    expect(reply.status).toBe(200)
    const body = jsonBody(reply)
    expect(body).toMatchObject({
      resource,
      token_type: 'Bearer',
      client_id: emulator.identities.system.clientId,
    })
    expect(body.expires_on).toMatch(/^\d+$/)
    expectTokenClaims(body.access_token, {
      audience: resource,
      identity: emulator.identities.system,
      tenantId: emulator.tenantId,
      expiresOn: Number(body.expires_on),
    })
  })

  test.each([
    ['client_id', 'clientId'],
    ['object_id', 'objectId'],
    ['mi_res_id', 'resourceId'],
  ] as const)('selects the user-assigned identity by %s', async (parameter, field) => {
    const id = encodeURIComponent(emulator.identities.user[field])
    const reply = await getToken(`api-version=2019-08-01&resource=${resource}&${parameter}=${id}`)
    expect(reply.status).toBe(200)
    const body = jsonBody(reply)
    expect(body.client_id).toBe(emulator.identities.user.clientId)
    expectTokenClaims(body.access_token, {
      audience: resource,
      identity: emulator.identities.user,
      tenantId: emulator.tenantId,
      expiresOn: Number(body.expires_on),
    })
  })

  test("does not know IMDS's msi_res_id: it is not an App Service parameter", async () => {
    const id = encodeURIComponent(emulator.identities.user.resourceId)
    const body = jsonBody(await getToken(`api-version=2019-08-01&resource=${resource}&msi_res_id=${id}`))
    expect(body.client_id).toBe(emulator.identities.system.clientId)
  })

  test.each([
    ['missing', {}],
    ['wrong', { 'X-IDENTITY-HEADER': 'not-the-secret' }],
  ])('answers 401 to a %s X-IDENTITY-HEADER', async (_case, headers) => {
    const reply = await getToken(`api-version=2019-08-01&resource=${resource}`, headers)
    expect(reply.status).toBe(401)
    expect(jsonBody(reply)).toMatchObject({
      statusCode: 401,
      message: expect.stringContaining('X-IDENTITY-HEADER'),
    })
  })

  test('answers 400 for an unknown identity', async () => {
    const reply = await getToken(`api-version=2019-08-01&resource=${resource}&client_id=nobody`)
    expect(reply.status).toBe(400)
    expect(jsonBody(reply)).toMatchObject({
      statusCode: 400,
      message: 'Unable to load the proper Managed Identity.',
    })
  })

  test('answers 400 without a resource', async () => {
    expect((await getToken('api-version=2019-08-01')).status).toBe(400)
  })
})
