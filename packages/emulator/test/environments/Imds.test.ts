import { describe, expect, test } from 'vitest'
import { tokenClient, tokenRequest } from '../clientRequests.js'
import { emulatorForFile } from '../emulatorForFile.js'
import { jsonBody, send } from '../httpClient.js'
import { expectIssuedToken } from '../tokenClaims.js'

const emulator = await emulatorForFile()

const resource = 'https://storage.azure.com/'
const getToken = tokenClient(emulator, 'Imds')

describe('Imds', () => {
  test('env points the pod-identity host at the emulator', () => {
    expect(emulator.env('Imds')).toEqual({ AZURE_POD_IDENTITY_AUTHORITY_HOST: `${emulator.url}/imds` })
  })

  test('issues a system-assigned token with every number as a string', async () => {
    const reply = await getToken(`api-version=2018-02-01&resource=${encodeURIComponent(resource)}`)
    expect(reply.status).toBe(200)
    expect(reply.headers['content-type']).toMatch(/^application\/json/)
    const body = jsonBody(reply)
    expect(body).toMatchObject({
      client_id: emulator.identities.system.clientId,
      resource,
      token_type: 'Bearer',
    })
    for (const field of ['expires_in', 'expires_on', 'ext_expires_in', 'not_before'])
      expect(body[field]).toMatch(/^-?\d+$/)
    expectIssuedToken(body, { emulator, who: 'system', audience: resource })
  })

  // Selection by each identity parameter, and the echo, are in ../identityEcho.test.ts (all three environments).
  test('serves the token path with a trailing slash too, as pod identity does (MSAL Node sends it)', async () => {
    const url = `${emulator.env('Imds').AZURE_POD_IDENTITY_AUTHORITY_HOST}/metadata/identity/oauth2/token/`
    const reply = await send({
      url: `${url}?api-version=2018-02-01&resource=${encodeURIComponent(resource)}`,
      headers: { Metadata: 'true' },
    })
    expect(reply.status).toBe(200)
    expect(jsonBody(reply)).toMatchObject({ resource, client_id: emulator.identities.system.clientId })
  })

  test('answers the probe (no Metadata header) with a 400', async () => {
    const reply = await getToken(`api-version=2018-02-01&resource=${resource}`, {})
    expect(reply.status).toBe(400)
    expect(jsonBody(reply)).toEqual({
      error: 'invalid_request',
      error_description: 'Required metadata header not specified',
    })
  })

  test('rejects an identity it does not have', async () => {
    const reply = await getToken(
      `api-version=2018-02-01&resource=${resource}&client_id=00000000-0000-0000-0000-000000000000`,
    )
    expect(reply.status).toBe(400)
    expect(jsonBody(reply)).toEqual({ error: 'invalid_request', error_description: 'Identity not found' })
  })

  test('rejects two identity parameters at once', async () => {
    const { clientId, objectId } = emulator.identities.user
    const reply = await getToken(
      `api-version=2018-02-01&resource=${resource}&client_id=${clientId}&object_id=${objectId}`,
    )
    expect(reply.status).toBe(400)
  })

  test.each([
    ['resource', 'api-version=2018-02-01'],
    ['api-version', `resource=${resource}`],
  ])('rejects a request without %s', async (_missing, query) => {
    expect((await getToken(query)).status).toBe(400)
  })

  test('accepts only GET', async () => {
    const reply = await send({
      ...tokenRequest(emulator, 'Imds', `api-version=2018-02-01&resource=${resource}`),
      method: 'POST',
    })
    expect(reply.status).toBe(405)
    expect(reply.headers.allow).toBe('GET')
  })

  test('answers 404 below its prefix and records the request as Imds', async () => {
    emulator.clearRequests()
    const reply = await send({ url: `${emulator.url}/imds/metadata/instance?api-version=2021-02-01` })
    expect(reply.status).toBe(404)
    expect(emulator.requests).toMatchObject([{ environment: 'Imds', path: '/imds/metadata/instance' }])
  })
})
