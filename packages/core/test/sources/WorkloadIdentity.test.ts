/** Workload identity's plan as data: read the federated token, then exchange it at Entra ID. */
import { describe, expect, test } from 'vitest'
import { json } from '../fakes.js'
import { IDENTITIES, reply, selected, sentRequests, tokenReply, walkFor } from './plans.js'

const TOKEN_FILE = '/var/run/secrets/azure/tokens/azure-identity-token'
const ENV = {
  AZURE_AUTHORITY_HOST: 'https://login.microsoftonline.com/',
  AZURE_TENANT_ID: 'contoso.onmicrosoft.com',
  AZURE_FEDERATED_TOKEN_FILE: TOKEN_FILE,
  AZURE_CLIENT_ID: 'env-client-id',
}
const FILES = { [TOKEN_FILE]: 'federated.jwt.token' }

describe.each(IDENTITIES)('with the %s identity', (kind, identity) => {
  test('the token file is read, then exchanged; a client id replaces AZURE_CLIENT_ID', () => {
    const walk = walkFor(ENV, { replies: [tokenReply()], files: FILES }, { identity })
    expect(walk.steps.map((step) => step._tag)).toEqual(['ReadFile', 'Send'])
    const [request] = sentRequests(walk)
    expect(request?.url).toBe('https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/token')
    expect(Object.fromEntries(new URLSearchParams(request?.body))).toEqual({
      client_assertion: 'federated.jwt.token',
      client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
      client_id: kind === 'clientId' ? 'cid-1' : 'env-client-id',
      grant_type: 'client_credentials',
      scope: 'https://management.azure.com/.default',
    })
  })
})

test("Entra ID's error reply is an entra_id_error quoting its code and description", () => {
  const body = { error: 'invalid_client', error_description: 'AADSTS700016: no such app' }
  const walk = walkFor(ENV, { replies: [reply(json(400, body))], files: FILES })
  expect(walk.result).toMatchObject({
    left: { code: 'entra_id_error', error: 'invalid_client', status: 400 },
  })
  expect(walk.result._tag === 'Left' && walk.result.left.message).toBe(
    "Microsoft Entra ID error '(invalid_client) AADSTS700016: no such app'",
  )
})

test('an unreadable token file fails before anything is sent', () => {
  const walk = walkFor(ENV, { replies: [] })
  expect(walk.steps.map((step) => step._tag)).toEqual(['ReadFile'])
  expect(walk.result).toMatchObject({ left: { code: 'token_file' } })
})

test('no client id anywhere is a configuration error', () => {
  const { AZURE_CLIENT_ID: _, ...withoutClientId } = ENV
  expect(selected(withoutClientId)).toMatchObject({
    left: { code: 'invalid_configuration', setting: 'AZURE_CLIENT_ID' },
  })
})
