import { describe, expect, test } from 'vitest'
import type { EnvironmentName, UserAssignedIdentity } from '../src/index.js'
import { type QueryEnvironment, tokenClient } from './clientRequests.js'
import { emulatorForFile } from './emulatorForFile.js'
import { expectIssuedToken, okBody } from './tokenClaims.js'

const emulator = await emulatorForFile()

const resource = 'https://storage.azure.com'
type Field = keyof UserAssignedIdentity

/** The environments whose replies name the identity, each one's API version, and what it calls each identity parameter. */
const environments: ReadonlyArray<{
  readonly name: QueryEnvironment
  readonly apiVersion: string
  readonly parameters: Readonly<Record<Field, string>>
}> = [
  {
    name: 'Imds',
    apiVersion: '2018-02-01',
    parameters: { clientId: 'client_id', objectId: 'object_id', resourceId: 'msi_res_id' },
  },
  {
    name: 'AppService',
    apiVersion: '2019-08-01',
    parameters: { clientId: 'client_id', objectId: 'object_id', resourceId: 'mi_res_id' },
  },
  {
    name: 'AzureML',
    apiVersion: '2017-09-01',
    parameters: { clientId: 'clientid', objectId: 'object_id', resourceId: 'msi_res_id' },
  },
]

const fields: ReadonlyArray<Field> = ['clientId', 'objectId', 'resourceId']
const cases = environments.flatMap((environment) =>
  fields.map((field) => [environment.name, field, environment] as const),
)

const tokenFrom = (environment: (typeof environments)[number], query: string) => {
  const ask = tokenClient(emulator, environment.name)
  return okBody(ask(`api-version=${environment.apiVersion}&resource=${resource}${query}`))
}

const expectFor = (body: Record<string, unknown>, who: 'user' | 'system') =>
  expectIssuedToken(body, { emulator, who, audience: resource })

describe('identity echo', () => {
  test.each(cases)(
    '%s selects by %s in any letter case, and names the identity in client_id only',
    async (_n, field, environment) => {
      const { user } = emulator.identities
      const parameter = environment.parameters[field]
      // GUIDs and resource ids compare case-insensitively, as Azure compares them.
      const body = await tokenFrom(
        environment,
        `&${parameter}=${encodeURIComponent(user[field].toUpperCase())}`,
      )
      expectFor(body, 'user')
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
      expectFor(body, 'system')
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
      expectFor(body, 'user')
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
