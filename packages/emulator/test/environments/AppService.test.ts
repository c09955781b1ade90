import { describe, expect, test } from 'vitest'
import { tokenClient } from '../clientRequests.js'
import { emulatorForFile } from '../emulatorForFile.js'
import { jsonBody } from '../httpClient.js'
import { expectIssuedToken } from '../tokenClaims.js'

const emulator = await emulatorForFile()

const resource = 'https://vault.azure.net'
const getToken = tokenClient(emulator, 'AppService')

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
    expectIssuedToken(body, { emulator, who: 'system', audience: resource })
  })

  // Selection by each identity parameter, and the echo, are in ../identityEcho.test.ts (all three environments).
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
