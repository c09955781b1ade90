import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import {
  type Emulator,
  type EnvironmentName,
  startEmulator,
  type UserAssignedIdentity,
} from '../src/index.js'
import { jsonBody, send } from './httpClient.js'
import { expectTokenClaims } from './tokenClaims.js'

let emulator: Emulator
beforeAll(async () => {
  emulator = await startEmulator()
})
afterAll(() => emulator.close())

const resource = 'https://storage.azure.com'
type Field = keyof UserAssignedIdentity

/** How a client asks each environment for a token, and what it calls each identity parameter. */
const environments: ReadonlyArray<{
  readonly name: EnvironmentName
  readonly parameters: Readonly<Record<Field, string>>
  request(query: string): { url: string; headers: Record<string, string> }
}> = [
  {
    name: 'Imds',
    parameters: { clientId: 'client_id', objectId: 'object_id', resourceId: 'msi_res_id' },
    request: (query) => ({
      url: `${emulator.env('Imds').AZURE_POD_IDENTITY_AUTHORITY_HOST}/metadata/identity/oauth2/token?api-version=2018-02-01&resource=${resource}${query}`,
      headers: { Metadata: 'true' },
    }),
  },
  {
    name: 'AppService',
    parameters: { clientId: 'client_id', objectId: 'object_id', resourceId: 'mi_res_id' },
    request: (query) => {
      const env = emulator.env('AppService')
      return {
        url: `${env.IDENTITY_ENDPOINT}?api-version=2019-08-01&resource=${resource}${query}`,
        headers: { 'X-IDENTITY-HEADER': env.IDENTITY_HEADER ?? '' },
      }
    },
  },
  {
    name: 'AzureML',
    parameters: { clientId: 'clientid', objectId: 'object_id', resourceId: 'msi_res_id' },
    request: (query) => {
      const env = emulator.env('AzureML')
      return {
        url: `${env.MSI_ENDPOINT}?api-version=2017-09-01&resource=${resource}${query}`,
        headers: { secret: env.MSI_SECRET ?? '' },
      }
    },
  },
]

const fields: ReadonlyArray<Field> = ['clientId', 'objectId', 'resourceId']
const cases = environments.flatMap((environment) =>
  fields.map((field) => [environment.name, field, environment] as const),
)

const tokenFrom = async (environment: (typeof environments)[number], query: string) => {
  const reply = await send(environment.request(query))
  expect(reply.status).toBe(200)
  return jsonBody(reply)
}

const expectFor = (body: Record<string, unknown>, identity: UserAssignedIdentity) =>
  expectTokenClaims(body.access_token, {
    audience: resource,
    identity,
    tenantId: emulator.tenantId,
    expiresOn: Number(body.expires_on),
  })

describe('identity echo', () => {
  test.each(cases)(
    '%s names the identity a %s request got in client_id, and only there',
    async (_n, field, environment) => {
      const { user } = emulator.identities
      const parameter = environment.parameters[field]
      const body = await tokenFrom(environment, `&${parameter}=${encodeURIComponent(user[field])}`)
      expectFor(body, user)
      expect(body.client_id).toBe(user.clientId)
      for (const name of ['clientid', 'object_id', 'msi_res_id', 'mi_res_id'])
        expect(body).not.toHaveProperty(name)
    },
  )

  test.each(environments.map((each) => [each.name, each] as const))(
    '%s names the system identity for a request that names none',
    async (_name, environment) => {
      const body = await tokenFrom(environment, '')
      expect(body.client_id).toBe(emulator.identities.system.clientId)
    },
  )
})

describe('the lie fault', () => {
  test.each(cases)(
    '%s, asked by %s, issues and names the other identity, in client_id and the selector',
    async (name, field, environment) => {
      const { user, system } = emulator.identities
      const parameter = environment.parameters[field]
      emulator.script(name, [{ lie: 'identity' }])
      const body = await tokenFrom(environment, `&${parameter}=${encodeURIComponent(user[field])}`)
      expectFor(body, system)
      expect(body.client_id).toBe(system.clientId)
      expect(body[parameter]).toBe(system[field])
      // One request only: the next is truthful again.
      const next = await tokenFrom(environment, `&${parameter}=${encodeURIComponent(user[field])}`)
      expect(next.client_id).toBe(user.clientId)
    },
  )

  test.each(environments.map((each) => [each.name, each] as const))(
    '%s, asked for the system identity, issues the user-assigned one',
    async (name, environment) => {
      emulator.script(name, [{ lie: 'identity' }])
      const body = await tokenFrom(environment, '')
      expectFor(body, emulator.identities.user)
      expect(body.client_id).toBe(emulator.identities.user.clientId)
    },
  )

  test.each<EnvironmentName>(['ServiceFabric', 'CloudShell', 'WorkloadIdentity'])(
    'cannot be scripted for %s, whose replies name no identity',
    (name) => {
      expect(() => emulator.script(name, [{ lie: 'identity' }])).toThrow(RangeError)
    },
  )
})
