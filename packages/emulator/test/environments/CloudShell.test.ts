import { describe, expect, test } from 'vitest'
import { emulatorForFile } from '../emulatorForFile.js'
import { jsonBody, send } from '../httpClient.js'
import { expectIssuedToken } from '../tokenClaims.js'

const emulator = await emulatorForFile()

const resource = 'https://management.core.windows.net/'
const form = { Metadata: 'true', 'Content-Type': 'application/x-www-form-urlencoded' }
const postToken = (body: string, headers: Record<string, string> = form, query = '') =>
  send({ url: `${emulator.env('CloudShell').MSI_ENDPOINT}${query}`, method: 'POST', headers, body })

describe('CloudShell', () => {
  test('env has only MSI_ENDPOINT', () => {
    expect(emulator.env('CloudShell')).toEqual({ MSI_ENDPOINT: `${emulator.url}/cloudshell/oauth2/token` })
  })

  test('issues a token for a form POST, with numeric expiries', async () => {
    const reply = await postToken(new URLSearchParams({ resource }).toString())
    expect(reply.status).toBe(200)
    const body = jsonBody(reply)
    expect(body).toMatchObject({ resource, token_type: 'Bearer' })
    expect(typeof body.expires_in).toBe('number')
    expect(typeof body.expires_on).toBe('number')
    expectIssuedToken(body, { emulator, who: 'system', audience: resource })
  })

  test('rejects a query string', async () => {
    const reply = await postToken(`resource=${resource}`, form, `?resource=${resource}`)
    expect(reply.status).toBe(400)
    expect(jsonBody(reply)).toMatchObject({ error: 'invalid_request' })
  })

  test('rejects a request without the Metadata header', async () => {
    const reply = await postToken(`resource=${resource}`, {
      'Content-Type': 'application/x-www-form-urlencoded',
    })
    expect(reply.status).toBe(400)
  })

  test('rejects a body that is not a form', async () => {
    const reply = await postToken(JSON.stringify({ resource }), {
      Metadata: 'true',
      'Content-Type': 'application/json',
    })
    expect(reply.status).toBe(400)
  })

  test('rejects a missing resource and any identity field', async () => {
    expect((await postToken('')).status).toBe(400)
    expect((await postToken(`resource=${resource}&client_id=x`)).status).toBe(400)
  })

  test('accepts only POST', async () => {
    const reply = await send({ url: emulator.env('CloudShell').MSI_ENDPOINT ?? '', headers: form })
    expect(reply.status).toBe(405)
  })
})
