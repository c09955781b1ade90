/** Each source × each identity kind: the exact request, or a typed rejection before any request. */
import { describe, expect, test } from 'vitest'
import { createManagedIdentityClient, type Environment, type IdentityOptions } from '../src/index.js'
import { fakeWorld, json } from './fakes.js'

const HEADER = 'identity-header-secret-value'
const SECRET = 'azure-ml-secret-value-1234'
const KEY_PATH = '/var/opt/azcmagent/tokens/abc.key'
const environments: Readonly<Record<string, Environment>> = {
  ServiceFabric: {
    IDENTITY_ENDPOINT: 'https://10.0.0.4:2377/metadata/identity/oauth2/token',
    IDENTITY_HEADER: HEADER,
    IDENTITY_SERVER_THUMBPRINT: 'ab:cd:ef:01:23:45:67:89:ab:cd:ef:01:23:45:67:89:ab:cd:ef:01',
  },
  AppService: { IDENTITY_ENDPOINT: 'http://127.0.0.1:41741/msi/token', IDENTITY_HEADER: HEADER },
  AzureArc: {
    IDENTITY_ENDPOINT: 'http://localhost:40342/metadata/identity/oauth2/token',
    IMDS_ENDPOINT: 'http://localhost:40342',
  },
  AzureML: { MSI_ENDPOINT: 'http://127.0.0.1:46808/msi/token', MSI_SECRET: SECRET },
  CloudShell: { MSI_ENDPOINT: 'http://localhost:50342/oauth2/token' },
  WorkloadIdentity: {
    AZURE_AUTHORITY_HOST: 'https://login.microsoftonline.com/',
    AZURE_TENANT_ID: 'contoso.onmicrosoft.com',
    AZURE_FEDERATED_TOKEN_FILE: '/var/run/secrets/azure/tokens/azure-identity-token',
    AZURE_CLIENT_ID: 'env-client-id',
  },
  Imds: {},
}

const identities: ReadonlyArray<readonly [string, IdentityOptions]> = [
  ['system', {}],
  ['clientId', { clientId: 'cid-1' }],
  ['objectId', { objectId: 'oid-1' }],
  [
    'resourceId',
    { resourceId: '/subscriptions/s/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/u' },
  ],
]

const firstRequest = async (
  env: Environment,
  identity: IdentityOptions,
  scope = 'https://management.azure.com/.default',
) => {
  const world = fakeWorld({
    files: {
      [KEY_PATH]: 'arc-key-secret',
      '/var/run/secrets/azure/tokens/azure-identity-token': 'federated.jwt.token',
    },
    respond: (request, index) =>
      request.url.includes('api-version=2020-06-01') && index === 0
        ? json(401, {}, { 'www-authenticate': `Basic realm=${KEY_PATH}` })
        : json(200, { access_token: 'at', expires_in: 3600 }),
  })
  const result = await createManagedIdentityClient({ env, ...identity }, world.capabilities).getToken(scope)
  return { result, request: world.sent[0], world }
}

const query = (url: string | undefined) => Object.fromEntries(new URL(url ?? 'http://x').searchParams)

describe.each(identities)('with the %s identity', (kind, identity) => {
  test('Imds', async () => {
    const { request } = await firstRequest(environments.Imds ?? {}, identity)
    expect(request?.url.startsWith('http://169.254.169.254/metadata/identity/oauth2/token?')).toBe(true)
    expect(request?.headers).toEqual({ Metadata: 'true' })
    const expected = { clientId: 'client_id', objectId: 'object_id', resourceId: 'msi_res_id' } as const
    expect(query(request?.url)).toEqual({
      'api-version': '2018-02-01',
      resource: 'https://management.azure.com',
      ...Object.fromEntries(
        Object.entries(identity).map(([k, v]) => [expected[k as keyof typeof expected], v]),
      ),
    })
  })

  test('AppService', async () => {
    const { request } = await firstRequest(environments.AppService ?? {}, identity)
    expect(request?.headers).toEqual({ 'X-IDENTITY-HEADER': HEADER, Metadata: 'true' })
    const expected = { clientId: 'client_id', objectId: 'object_id', resourceId: 'mi_res_id' } as const
    expect(query(request?.url)).toEqual({
      'api-version': '2019-08-01',
      resource: 'https://management.azure.com',
      ...Object.fromEntries(
        Object.entries(identity).map(([k, v]) => [expected[k as keyof typeof expected], v]),
      ),
    })
  })

  test('AzureML', async () => {
    const { request } = await firstRequest(environments.AzureML ?? {}, identity)
    expect(request?.headers).toEqual({ secret: SECRET })
    const expected = { clientId: 'clientid', objectId: 'object_id', resourceId: 'msi_res_id' } as const
    expect(query(request?.url)).toEqual({
      'api-version': '2017-09-01',
      resource: 'https://management.azure.com',
      ...Object.fromEntries(
        Object.entries(identity).map(([k, v]) => [expected[k as keyof typeof expected], v]),
      ),
    })
  })

  test.each(['ServiceFabric', 'AzureArc', 'CloudShell'])('%s', async (name) => {
    const { request, result } = await firstRequest(environments[name] ?? {}, identity)
    if (kind === 'system') {
      expect(result).toMatchObject({ _tag: 'Right' })
      return
    }
    expect(request).toBeUndefined()
    expect(result).toMatchObject({
      left: { _tag: 'UnsupportedIdentity', code: 'unsupported_identity', source: name },
    })
    expect(JSON.stringify(result)).toContain('configured by')
  })

  test('WorkloadIdentity: a client id replaces AZURE_CLIENT_ID; object and resource ids are ignored', async () => {
    const { request, world } = await firstRequest(environments.WorkloadIdentity ?? {}, identity)
    expect(world.reads).toEqual(['/var/run/secrets/azure/tokens/azure-identity-token'])
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

describe('source quirks', () => {
  test('ServiceFabric pins the normalised thumbprint and sends the Secret header', async () => {
    const { request } = await firstRequest(environments.ServiceFabric ?? {}, {})
    expect(request?.tls).toEqual({ sha1Thumbprint: 'ABCDEF0123456789ABCDEF0123456789ABCDEF01' })
    expect(request?.headers).toEqual({ Secret: HEADER })
    expect(query(request?.url)).toEqual({
      'api-version': '2019-07-01-preview',
      resource: 'https://management.azure.com',
    })
  })

  test('AzureML names the system identity with DEFAULT_IDENTITY_CLIENT_ID', async () => {
    const { request } = await firstRequest(
      { ...environments.AzureML, DEFAULT_IDENTITY_CLIENT_ID: 'default-cid' },
      {},
    )
    expect(query(request?.url)).toMatchObject({ clientid: 'default-cid' })
  })

  test('CloudShell posts a form with no query string', async () => {
    const { request } = await firstRequest(
      environments.CloudShell ?? {},
      {},
      'https://storage.azure.com/.default',
    )
    expect(request).toEqual({
      method: 'POST',
      url: 'http://localhost:50342/oauth2/token',
      headers: { Metadata: 'true', 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'resource=https%3A%2F%2Fstorage.azure.com',
      timeoutMs: 10_000,
    })
  })

  test('AppService keeps the trailing slash of a resource-style scope', async () => {
    const { request } = await firstRequest(environments.AppService ?? {}, {}, 'https://storage.azure.com/')
    expect(query(request?.url).resource).toBe('https://storage.azure.com/')
  })

  test.each([
    [{ clientId: 'a', objectId: 'b' }, 'clientId+objectId'],
    [{ clientId: '' }, 'clientId'],
    [{ resourceId: '  ' }, 'resourceId'],
  ])('identity options %j are a configuration error', async (identity, setting) => {
    const { request, result } = await firstRequest(environments.AppService ?? {}, identity)
    expect(request).toBeUndefined()
    expect(result).toMatchObject({ left: { _tag: 'InvalidConfiguration', setting } })
  })
})
