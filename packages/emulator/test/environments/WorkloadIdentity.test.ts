import { readFileSync, statSync } from 'node:fs'
import { describe, expect, test } from 'vitest'
import { workloadIdentityForm } from '../clientRequests.js'
import { emulatorForFile } from '../emulatorForFile.js'
import { jsonBody, send } from '../httpClient.js'
import { expectIssuedToken } from '../tokenClaims.js'

const emulator = await emulatorForFile()

const validForm = () => workloadIdentityForm(emulator)

const postToken = (
  fields: Record<string, string>,
  tenant = emulator.tenantId,
  contentType = 'application/x-www-form-urlencoded',
) =>
  send({
    url: `${emulator.env('WorkloadIdentity').AZURE_AUTHORITY_HOST}/${tenant}/oauth2/v2.0/token`,
    method: 'POST',
    headers: { 'Content-Type': contentType },
    body: new URLSearchParams(fields).toString(),
    ca: emulator.caCertificatePem,
  })

describe('WorkloadIdentity', () => {
  test('env points at the HTTPS Entra endpoint and a federated token file', () => {
    const env = emulator.env('WorkloadIdentity')
    expect(env).toEqual({
      AZURE_AUTHORITY_HOST: `${emulator.tlsUrl}/entra`,
      AZURE_TENANT_ID: emulator.tenantId,
      AZURE_CLIENT_ID: emulator.identities.user.clientId,
      AZURE_FEDERATED_TOKEN_FILE: expect.any(String),
    })
    const text = readFileSync(env.AZURE_FEDERATED_TOKEN_FILE ?? '', 'utf8')
    expect(text.split('.')).toHaveLength(3)
    expect(statSync(env.AZURE_FEDERATED_TOKEN_FILE ?? '').mode & 0o777).toBe(0o600)
  })

  test('the Entra endpoint presents a certificate from the test CA', async () => {
    const url = `${emulator.tlsUrl}/entra/${emulator.tenantId}/oauth2/v2.0/token`
    await expect(send({ url, method: 'POST' })).rejects.toMatchObject({
      code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
    })
  })

  test.each([
    ['127.0.0.1', undefined],
    ['login.test', 'login.test'],
    ['localhost', 'localhost'],
  ])(
    'the certificate is valid for %s, so a test proxy can map that name to the emulator',
    async (_name, servername) => {
      const url = `${emulator.tlsUrl}/entra/${emulator.tenantId}/v2.0/.well-known/openid-configuration`
      const reply = await send({
        url,
        ca: emulator.caCertificatePem,
        ...(servername === undefined ? {} : { servername }),
      })
      expect(reply.status).toBe(200)
    },
  )

  test('the certificate is not valid for other names', async () => {
    const url = `${emulator.tlsUrl}/entra/${emulator.tenantId}/v2.0/.well-known/openid-configuration`
    await expect(send({ url, ca: emulator.caCertificatePem, servername: 'sts.test' })).rejects.toMatchObject({
      code: 'ERR_TLS_CERT_ALTNAME_INVALID',
    })
  })

  test('exchanges the federated token for an access token whose aud is the scope without /.default', async () => {
    const reply = await postToken(validForm())
    expect(reply.status).toBe(200)
    const body = jsonBody(reply)
    expect(body).toMatchObject({ token_type: 'Bearer' })
    expect(typeof body.expires_in).toBe('number')
    expect(body.ext_expires_in).toBe(body.expires_in)
    expectIssuedToken(body, { emulator, who: 'user', audience: 'https://storage.azure.com' })
  })

  test('a system identity client id gets a token for that identity', async () => {
    const body = jsonBody(await postToken({ ...validForm(), client_id: emulator.identities.system.clientId }))
    expectIssuedToken(body, { emulator, who: 'system', audience: 'https://storage.azure.com' })
  })

  type Form = Record<string, string>
  test.each<[string, (valid: Form) => Form, number, string]>([
    ['a wrong assertion', (valid) => ({ ...valid, client_assertion: 'a.b.c' }), 401, 'invalid_client'],
    [
      'the assertion with a trailing newline',
      (valid) => ({ ...valid, client_assertion: `${valid.client_assertion}\n` }),
      401,
      'invalid_client',
    ],
    [
      'a wrong assertion type',
      (valid) => ({ ...valid, client_assertion_type: 'urn:x' }),
      400,
      'invalid_request',
    ],
    [
      'an unknown client id',
      (valid) => ({ ...valid, client_id: '00000000-0000-0000-0000-000000000000' }),
      400,
      'unauthorized_client',
    ],
    ['another grant type', (valid) => ({ ...valid, grant_type: 'password' }), 400, 'unsupported_grant_type'],
    [
      'a scope without /.default',
      (valid) => ({ ...valid, scope: 'https://storage.azure.com' }),
      400,
      'invalid_scope',
    ],
  ])('rejects %s', async (_case, change, status, error) => {
    const reply = await postToken(change(validForm()))
    expect(reply.status).toBe(status)
    const body = jsonBody(reply)
    expect(body).toMatchObject({ error, error_codes: [expect.any(Number)], trace_id: expect.any(String) })
    expect(body.error_description).toMatch(/^AADSTS\d+: /)
  })

  test.each(['client_assertion', 'client_id', 'grant_type', 'scope'])(
    'rejects a form without %s',
    async (field) => {
      const { [field]: _dropped, ...rest } = validForm()
      const reply = await postToken(rest)
      expect(reply.status).toBeGreaterThanOrEqual(400)
      expect(reply.status).toBeLessThan(500)
    },
  )

  test('rejects a wrong tenant with invalid_request', async () => {
    const reply = await postToken(validForm(), '11111111-1111-1111-1111-111111111111')
    expect(reply.status).toBe(400)
    expect(jsonBody(reply)).toMatchObject({ error: 'invalid_request', error_codes: [90002] })
  })

  test('rejects a JSON body', async () => {
    expect((await postToken(validForm(), emulator.tenantId, 'application/json')).status).toBe(400)
  })

  test('serves the OpenID discovery document MSAL asks for', async () => {
    const reply = await send({
      url: `${emulator.tlsUrl}/entra/${emulator.tenantId}/v2.0/.well-known/openid-configuration`,
      ca: emulator.caCertificatePem,
    })
    expect(reply.status).toBe(200)
    expect(jsonBody(reply).token_endpoint).toBe(
      `${emulator.tlsUrl}/entra/${emulator.tenantId}/oauth2/v2.0/token`,
    )
  })
})
