/**
 * Every hosting environment end to end over real sockets: for each identity kind protocol.md
 * §1.3 allows there, the token comes back for the right audience and identity, and the request
 * the emulator recorded has the path, the query parameters and the secret header the protocol
 * names. Identity kinds a source cannot honour are refused before anything is sent.
 */
import { randomUUID } from 'node:crypto'
import { readFileSync } from 'node:fs'
import type { Emulator, EnvironmentName, RecordedRequest, UserAssignedIdentity } from '@azmi/emulator'
import { decodeJwtPayload, startEmulator } from '@azmi/emulator'
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest'
import type { AccessToken } from '../../src/index.js'
import { ManagedIdentityCredential } from '../../src/index.js'
import {
  type IdentityKind,
  identityOption,
  LINUX_ARC_KEY_DIRECTORY,
  onlyRequestTo,
  RESOURCE,
  requestsTo,
  SCOPE,
  usesRealArcKeyDirectory,
} from './support/emulatorSession.js'

let emulator: Emulator
beforeAll(async () => {
  emulator = await startEmulator()
})
afterAll(() => emulator.close())
beforeEach(() => emulator.clearRequests())

const ALL_KINDS: ReadonlyArray<IdentityKind> = ['system', 'clientId', 'objectId', 'resourceId']
const USER_ASSIGNED: ReadonlyArray<Exclude<IdentityKind, 'system'>> = ['clientId', 'objectId', 'resourceId']

const tokenFrom = (environment: EnvironmentName, kind: IdentityKind): Promise<AccessToken> =>
  new ManagedIdentityCredential({
    env: emulator.env(environment),
    ...identityOption(kind, emulator.identities.user),
    ca: emulator.caCertificatePem,
  }).getToken(SCOPE)

/** The identity a request of `kind` must get a token for. */
const expectedIdentity = (kind: IdentityKind): UserAssignedIdentity =>
  kind === 'system' ? emulator.identities.system : emulator.identities.user

/** The token is for `audience` and names `identity` in every claim Azure uses for it. */
const expectTokenFor = (token: AccessToken, audience: string, identity: UserAssignedIdentity): void => {
  expect(token.tokenType).toBe('Bearer')
  expect(token.expiresOnTimestamp).toBeGreaterThan(Date.now())
  expect(decodeJwtPayload(token.token)).toMatchObject({
    aud: audience,
    appid: identity.clientId,
    oid: identity.objectId,
    xms_mirid: identity.resourceId,
  })
}

/** A secret header value travels in its header only: never in the path or the query. */
const expectNotInUrl = (request: RecordedRequest, secret: string | undefined): void => {
  expect(secret).toEqual(expect.any(String))
  expect(`${request.path} ${JSON.stringify(request.query)}`).not.toContain(secret)
}

/** The query parameter each identity kind adds, named as `names` says (protocol.md §1.3 table). */
const identityQuery = (
  kind: IdentityKind,
  names: Readonly<Record<Exclude<IdentityKind, 'system'>, string>>,
): Record<string, string> => (kind === 'system' ? {} : { [names[kind]]: emulator.identities.user[kind] })

describe('Imds', () => {
  const names = { clientId: 'client_id', objectId: 'object_id', resourceId: 'msi_res_id' }

  test.each(ALL_KINDS)('%s identity', async (kind) => {
    expectTokenFor(await tokenFrom('Imds', kind), RESOURCE, expectedIdentity(kind))
    const request = onlyRequestTo(emulator, 'Imds')
    expect(request).toMatchObject({ method: 'GET', path: '/imds/metadata/identity/oauth2/token' })
    expect(request.query).toEqual({
      'api-version': '2018-02-01',
      resource: RESOURCE,
      ...identityQuery(kind, names),
    })
    expect(request.headers.metadata).toBe('true')
  })

  test.each(USER_ASSIGNED)(
    'a %s the resource does not have is unavailable (identity_not_assigned)',
    async (kind) => {
      const unknown = kind === 'resourceId' ? `${emulator.identities.user.resourceId}-other` : randomUUID()
      const credential = new ManagedIdentityCredential({ env: emulator.env('Imds'), [kind]: unknown })
      await expect(credential.getToken(SCOPE)).rejects.toMatchObject({
        name: 'CredentialUnavailableError',
        code: 'identity_not_assigned',
        source: 'Imds',
        details: { status: 400 },
      })
      // a 400 is an answer, not a transient failure: asked once, not retried
      expect(onlyRequestTo(emulator, 'Imds').query[names[kind]]).toBe(unknown)
    },
  )
})

describe('AppService', () => {
  const names = { clientId: 'client_id', objectId: 'object_id', resourceId: 'mi_res_id' }

  test.each(ALL_KINDS)('%s identity', async (kind) => {
    expectTokenFor(await tokenFrom('AppService', kind), RESOURCE, expectedIdentity(kind))
    const request = onlyRequestTo(emulator, 'AppService')
    expect(request).toMatchObject({ method: 'GET', path: '/appservice/msi/token' })
    expect(request.query).toEqual({
      'api-version': '2019-08-01',
      resource: RESOURCE,
      ...identityQuery(kind, names),
    })
    expect(request.headers['x-identity-header']).toBe(emulator.env('AppService').IDENTITY_HEADER)
    expect(request.headers.metadata).toBe('true')
    expectNotInUrl(request, emulator.env('AppService').IDENTITY_HEADER)
  })
})

describe('AzureML', () => {
  const names = { clientId: 'clientid', objectId: 'object_id', resourceId: 'msi_res_id' }

  test.each(ALL_KINDS)('%s identity', async (kind) => {
    const env = emulator.env('AzureML')
    expectTokenFor(await tokenFrom('AzureML', kind), RESOURCE, expectedIdentity(kind))
    const request = onlyRequestTo(emulator, 'AzureML')
    expect(request).toMatchObject({ method: 'GET', path: '/azureml/msi/token' })
    // system-assigned: named by DEFAULT_IDENTITY_CLIENT_ID, which the platform sets
    const identity =
      kind === 'system' ? { clientid: env.DEFAULT_IDENTITY_CLIENT_ID } : identityQuery(kind, names)
    expect(request.query).toEqual({ 'api-version': '2017-09-01', resource: RESOURCE, ...identity })
    expect(request.headers.secret).toBe(env.MSI_SECRET)
    expectNotInUrl(request, env.MSI_SECRET)
  })
})

describe('ServiceFabric', () => {
  test('system identity, over TLS pinned to IDENTITY_SERVER_THUMBPRINT', async () => {
    const env = emulator.env('ServiceFabric')
    expectTokenFor(await tokenFrom('ServiceFabric', 'system'), RESOURCE, emulator.identities.system)
    const request = onlyRequestTo(emulator, 'ServiceFabric')
    expect(request).toMatchObject({ method: 'GET', path: '/servicefabric/metadata/identity/oauth2/token' })
    expect(request.query).toEqual({ 'api-version': '2019-07-01-preview', resource: RESOURCE })
    expect(request.headers.secret).toBe(env.IDENTITY_HEADER)
    expectNotInUrl(request, env.IDENTITY_HEADER)
  })
})

describe('AzureArc', () => {
  test.skipIf(!usesRealArcKeyDirectory)(
    'system identity, through the key-file challenge in the real /var/opt/azcmagent/tokens (root on Linux only)',
    async () => {
      expect(emulator.arcKeyDirectory).toBe(LINUX_ARC_KEY_DIRECTORY)
      expectTokenFor(await tokenFrom('AzureArc', 'system'), RESOURCE, emulator.identities.system)
      const [challenged, keyed, ...others] = requestsTo(emulator, 'AzureArc')
      expect(others).toEqual([])
      for (const request of [challenged, keyed]) {
        expect(request).toMatchObject({ method: 'GET', path: '/arc/metadata/identity/oauth2/token' })
        expect(request?.query).toEqual({ 'api-version': '2020-06-01', resource: RESOURCE })
        expect(request?.headers.metadata).toBe('true')
      }
      expect(challenged?.headers.authorization).toBeUndefined()
      // the key file's contents (64 hex digits, as the emulator writes them), sent back as Basic
      expect(keyed?.headers.authorization).toMatch(/^Basic [0-9a-f]{64}$/)
    },
  )
})

describe('CloudShell', () => {
  test('system identity, as a form POST with no query string', async () => {
    expectTokenFor(await tokenFrom('CloudShell', 'system'), RESOURCE, emulator.identities.system)
    const request = onlyRequestTo(emulator, 'CloudShell')
    expect(request).toMatchObject({ method: 'POST', path: '/cloudshell/oauth2/token', query: {} })
    expect(request.headers.metadata).toBe('true')
    expect(request.headers['content-type']).toMatch(/^application\/x-www-form-urlencoded/)
    expect(Object.fromEntries(new URLSearchParams(request.body))).toEqual({ resource: RESOURCE })
  })
})

describe('WorkloadIdentity', () => {
  // The caller names the system identity: its client id replaces AZURE_CLIENT_ID (the user
  // identity); its object or resource id does not apply to a federated credential and is ignored.
  test.each(ALL_KINDS)('%s identity', async (kind) => {
    const env = emulator.env('WorkloadIdentity')
    const { system, user } = emulator.identities
    const identity = kind === 'clientId' ? system : user
    const credential = new ManagedIdentityCredential({
      env,
      ...identityOption(kind, system),
      ca: emulator.caCertificatePem,
    })
    expectTokenFor(await credential.getToken(SCOPE), RESOURCE, identity)
    const request = onlyRequestTo(emulator, 'WorkloadIdentity')
    expect(request).toMatchObject({ method: 'POST', path: `/entra/${env.AZURE_TENANT_ID}/oauth2/v2.0/token` })
    expect(request.query).toEqual({})
    expect(request.headers['content-type']).toMatch(/^application\/x-www-form-urlencoded/)
    expect(Object.fromEntries(new URLSearchParams(request.body))).toEqual({
      // the file's text, unchanged
      client_assertion: readFileSync(env.AZURE_FEDERATED_TOKEN_FILE ?? '', 'utf8'),
      client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
      client_id: identity.clientId,
      grant_type: 'client_credentials',
      // the scope as given, not converted to a resource
      scope: SCOPE,
    })
  })

  test('without the emulator CA the TLS handshake fails (transport_error) and nothing is sent', async () => {
    const credential = new ManagedIdentityCredential({ env: emulator.env('WorkloadIdentity') })
    await expect(credential.getToken(SCOPE)).rejects.toMatchObject({
      name: 'AuthenticationError',
      code: 'transport_error',
      source: 'WorkloadIdentity',
      details: { kind: 'tls' },
    })
    expect(requestsTo(emulator, 'WorkloadIdentity')).toEqual([])
  })
})

describe('identities a source cannot honour', () => {
  const cases = (['ServiceFabric', 'AzureArc', 'CloudShell'] as const).flatMap((environment) =>
    USER_ASSIGNED.map((kind) => [environment, kind] as const),
  )

  test.each(cases)(
    '%s with a %s is refused (unsupported_identity) before any request',
    async (environment, kind) => {
      const credential = new ManagedIdentityCredential({
        env: emulator.env(environment),
        ...identityOption(kind, emulator.identities.user),
        ca: emulator.caCertificatePem,
      })
      await expect(credential.getToken(SCOPE)).rejects.toMatchObject({
        name: 'CredentialUnavailableError',
        code: 'unsupported_identity',
        source: environment,
      })
      // never silently the system-assigned identity instead
      expect(emulator.requests).toEqual([])
    },
  )
})
