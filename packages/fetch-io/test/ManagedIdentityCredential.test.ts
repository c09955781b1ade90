/**
 * fetch-io's credential on Node's own fetch, against the emulator of every hosting
 * environment on 127.0.0.1: each source fetch-io supports returns a token for the right
 * identity after sending exactly the request the protocol describes; Service Fabric is
 * refused before anything is sent unless a pinning `send` is injected; and the sources that
 * read files say so when no `readFile` was given.
 */
import type { Emulator, EnvironmentName } from '@azmi/emulator'
import { createNodeTransport, readRegularFile } from '@azmi/node-io'
import { afterAll, describe, expect, it, test } from 'vitest'
import type { FetchCredentialOptions } from '../src/index.js'
import { CredentialUnavailableError, ManagedIdentityCredential } from '../src/index.js'
import {
  canServeArcKeys,
  claimsOf,
  emulatorPerFile,
  fetchTrusting,
  formOf,
  RESOURCE,
  SCOPE,
  tokenRequests,
} from './support/emulator.js'

const emulator = emulatorPerFile()

/** Node's fetch, trusting the test CA only for the credentials that are given it. */
let trusting: ReturnType<typeof fetchTrusting> | undefined
const trustingFetch = (emu: Emulator): typeof fetch => {
  trusting ??= fetchTrusting(emu.caCertificatePem)
  return trusting.fetch
}
afterAll(() => trusting?.close())

type Extra = Omit<FetchCredentialOptions, 'env'>

/** A credential for `environment`'s variables, with everything a Linux Node host can give it. */
const credentialFor = (environment: EnvironmentName, extra: Extra = {}): ManagedIdentityCredential => {
  const emu = emulator()
  return new ManagedIdentityCredential({
    env: emu.env(environment),
    fetch: trustingFetch(emu),
    readFile: readRegularFile,
    platform: { os: 'linux' },
    ...extra,
  })
}

const systemClaims = (emu: Emulator) => ({
  aud: RESOURCE,
  oid: emu.identities.system.objectId,
  appid: emu.identities.system.clientId,
})
const userClaims = (emu: Emulator) => ({
  aud: RESOURCE,
  oid: emu.identities.user.objectId,
  appid: emu.identities.user.clientId,
})

describe('every source fetch-io supports, on Node fetch, system-assigned', () => {
  it('App Service: GET with X-IDENTITY-HEADER and api-version 2019-08-01', async () => {
    const emu = emulator()
    const token = await credentialFor('AppService').getToken(SCOPE)
    expect(claimsOf(token.token)).toEqual(systemClaims(emu))
    expect(token.tokenType).toBe('Bearer')
    expect(tokenRequests(emu)).toMatchObject([
      {
        environment: 'AppService',
        method: 'GET',
        path: '/appservice/msi/token',
        query: { 'api-version': '2019-08-01', resource: RESOURCE },
        headers: { 'x-identity-header': emu.env('AppService').IDENTITY_HEADER, metadata: 'true' },
      },
    ])
    expect(Object.keys(tokenRequests(emu)[0]?.query ?? {}).sort()).toEqual(['api-version', 'resource'])
  })

  it('IMDS at the pod-identity host: GET with Metadata and api-version 2018-02-01', async () => {
    const emu = emulator()
    const token = await credentialFor('Imds').getToken(SCOPE)
    expect(claimsOf(token.token)).toEqual(systemClaims(emu))
    expect(tokenRequests(emu)).toMatchObject([
      {
        environment: 'Imds',
        method: 'GET',
        path: '/imds/metadata/identity/oauth2/token',
        query: { 'api-version': '2018-02-01', resource: RESOURCE },
        headers: { metadata: 'true' },
      },
    ])
  })

  it('Azure ML: GET with the secret header and DEFAULT_IDENTITY_CLIENT_ID as clientid', async () => {
    const emu = emulator()
    const env = emu.env('AzureML')
    const token = await credentialFor('AzureML').getToken(SCOPE)
    expect(claimsOf(token.token)).toEqual(systemClaims(emu))
    expect(tokenRequests(emu)).toMatchObject([
      {
        environment: 'AzureML',
        method: 'GET',
        path: '/azureml/msi/token',
        query: { 'api-version': '2017-09-01', resource: RESOURCE, clientid: env.DEFAULT_IDENTITY_CLIENT_ID },
        headers: { secret: env.MSI_SECRET },
      },
    ])
  })

  it('Cloud Shell: POST of a form with the resource, no query string', async () => {
    const emu = emulator()
    const token = await credentialFor('CloudShell').getToken(SCOPE)
    expect(claimsOf(token.token)).toEqual(systemClaims(emu))
    const [request] = tokenRequests(emu)
    expect(request).toMatchObject({
      environment: 'CloudShell',
      method: 'POST',
      path: '/cloudshell/oauth2/token',
      query: {},
      headers: { metadata: 'true', 'content-type': 'application/x-www-form-urlencoded' },
    })
    expect(request && formOf(request)).toEqual({ resource: RESOURCE })
  })

  test.skipIf(!canServeArcKeys)(
    'Azure Arc: the 401 challenge, the key file read with the injected readFile, the keyed retry',
    async () => {
      const emu = emulator()
      const token = await credentialFor('AzureArc').getToken(SCOPE)
      expect(claimsOf(token.token)).toEqual(systemClaims(emu))
      const requests = tokenRequests(emu)
      expect(requests).toMatchObject([
        {
          environment: 'AzureArc',
          method: 'GET',
          query: { 'api-version': '2020-06-01', resource: RESOURCE },
        },
        {
          environment: 'AzureArc',
          method: 'GET',
          query: { 'api-version': '2020-06-01', resource: RESOURCE },
        },
      ])
      expect(requests[0]?.headers.authorization).toBeUndefined()
      expect(requests[1]?.headers.authorization).toMatch(/^Basic \S+$/)
    },
  )
})

describe('user-assigned identities, on Node fetch', () => {
  const cases: ReadonlyArray<{
    readonly environment: EnvironmentName
    readonly kind: 'clientId' | 'objectId' | 'resourceId'
    readonly parameter: string
  }> = [
    { environment: 'AppService', kind: 'clientId', parameter: 'client_id' },
    { environment: 'AppService', kind: 'objectId', parameter: 'object_id' },
    { environment: 'AppService', kind: 'resourceId', parameter: 'mi_res_id' },
    { environment: 'Imds', kind: 'clientId', parameter: 'client_id' },
    { environment: 'Imds', kind: 'objectId', parameter: 'object_id' },
    { environment: 'Imds', kind: 'resourceId', parameter: 'msi_res_id' },
    { environment: 'AzureML', kind: 'clientId', parameter: 'clientid' },
    { environment: 'AzureML', kind: 'objectId', parameter: 'object_id' },
    { environment: 'AzureML', kind: 'resourceId', parameter: 'msi_res_id' },
  ]

  it.each(cases)('$environment sends the $kind as $parameter', async ({ environment, kind, parameter }) => {
    const emu = emulator()
    const value = emu.identities.user[kind]
    const token = await credentialFor(environment, { [kind]: value }).getToken(SCOPE)
    expect(claimsOf(token.token)).toEqual(userClaims(emu))
    const [request, ...more] = tokenRequests(emu)
    expect(more).toEqual([])
    expect(request?.query).toEqual({
      'api-version': request?.query['api-version'],
      resource: RESOURCE,
      [parameter]: value,
    })
  })

  it.each(['CloudShell', 'AzureArc', 'ServiceFabric'] as const)(
    '%s refuses a user-assigned identity before sending anything',
    async (environment) => {
      const emu = emulator()
      const credential = credentialFor(environment, { clientId: emu.identities.user.clientId })
      await expect(credential.getToken(SCOPE)).rejects.toMatchObject({
        name: 'CredentialUnavailableError',
        code: 'unsupported_identity',
        source: environment,
      })
      expect(emu.requests).toEqual([])
    },
  )
})

describe('workload identity on Node fetch, over https with the test CA', () => {
  it('sends the federated token file, unchanged, with AZURE_CLIENT_ID', async () => {
    const emu = emulator()
    const env = emu.env('WorkloadIdentity')
    const token = await credentialFor('WorkloadIdentity').getToken(SCOPE)
    expect(claimsOf(token.token)).toEqual(userClaims(emu))
    const [request, ...more] = tokenRequests(emu)
    expect(more).toEqual([])
    expect(request).toMatchObject({
      environment: 'WorkloadIdentity',
      method: 'POST',
      path: `/entra/${env.AZURE_TENANT_ID}/oauth2/v2.0/token`,
      query: {},
    })
    const federatedToken = await readRegularFile(env.AZURE_FEDERATED_TOKEN_FILE ?? '', 65_536)
    expect(request && formOf(request)).toEqual({
      client_assertion: federatedToken._tag === 'Right' ? federatedToken.right : 'unreadable',
      client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
      client_id: env.AZURE_CLIENT_ID,
      grant_type: 'client_credentials',
      scope: SCOPE,
    })
  })

  it('lets clientId replace AZURE_CLIENT_ID', async () => {
    const emu = emulator()
    const clientId = emu.identities.system.clientId
    const token = await credentialFor('WorkloadIdentity', { clientId }).getToken(SCOPE)
    expect(claimsOf(token.token)).toEqual(systemClaims(emu))
    expect(tokenRequests(emu).map(formOf)).toMatchObject([{ client_id: clientId }])
  })

  it.each(['objectId', 'resourceId'] as const)('ignores %s and uses AZURE_CLIENT_ID', async (kind) => {
    const emu = emulator()
    const credential = credentialFor('WorkloadIdentity', { [kind]: emu.identities.system[kind] })
    const token = await credential.getToken(SCOPE)
    expect(claimsOf(token.token)).toEqual(userClaims(emu))
    expect(tokenRequests(emu).map(formOf)).toMatchObject([
      { client_id: emu.env('WorkloadIdentity').AZURE_CLIENT_ID },
    ])
  })

  it('fails on plain Node fetch, which does not trust the test CA (the injected fetch is what works)', async () => {
    const emu = emulator()
    const credential = credentialFor('WorkloadIdentity', {
      fetch: (input, init) => fetch(input, init),
      retry: { maxRetries: 0 },
    })
    await expect(credential.getToken(SCOPE)).rejects.toMatchObject({
      name: 'AuthenticationError',
      code: 'transport_error',
      details: { _tag: 'Transport' },
    })
    expect(tokenRequests(emu)).toEqual([])
  })
})

describe('Service Fabric, which plain fetch cannot pin', () => {
  it('is refused as unsupported_runtime (tlsPinning), with no request sent', async () => {
    const emu = emulator()
    const credential = credentialFor('ServiceFabric')
    const refusal = credential.getToken(SCOPE)
    await expect(refusal).rejects.toBeInstanceOf(CredentialUnavailableError)
    await expect(refusal).rejects.toMatchObject({
      code: 'unsupported_runtime',
      source: 'ServiceFabric',
      details: { _tag: 'UnsupportedRuntime', capability: 'tlsPinning' },
    })
    expect(emu.requests).toEqual([])
  })

  it("succeeds with node-io's pinning send injected, the documented escape hatch", async () => {
    const emu = emulator()
    const transport = createNodeTransport()
    try {
      const token = await credentialFor('ServiceFabric', { send: transport.send }).getToken(SCOPE)
      expect(claimsOf(token.token)).toEqual(systemClaims(emu))
      expect(tokenRequests(emu)).toMatchObject([
        {
          environment: 'ServiceFabric',
          method: 'GET',
          query: { 'api-version': '2019-07-01-preview', resource: RESOURCE },
          headers: { secret: emu.env('ServiceFabric').IDENTITY_HEADER },
        },
      ])
    } finally {
      transport.close()
    }
  })

  it('still pins through the injected send: a changed certificate is refused', async () => {
    const emu = emulator()
    const env = emu.env('ServiceFabric')
    emu.useServiceFabricCertificate('alternate')
    const transport = createNodeTransport()
    try {
      const credential = new ManagedIdentityCredential({ env, send: transport.send })
      await expect(credential.getToken(SCOPE)).rejects.toMatchObject({
        name: 'AuthenticationError',
        code: 'certificate_mismatch',
      })
      expect(emu.requests).toEqual([])
    } finally {
      transport.close()
      emu.useServiceFabricCertificate('primary')
    }
  })
})

describe('sources that read files, without a readFile', () => {
  it('Azure Arc: unsupported_runtime (readFile) after the challenge, as CredentialUnavailableError', async () => {
    const emu = emulator()
    const credential = new ManagedIdentityCredential({ env: emu.env('AzureArc'), platform: { os: 'linux' } })
    const refusal = credential.getToken(SCOPE)
    await expect(refusal).rejects.toBeInstanceOf(CredentialUnavailableError)
    await expect(refusal).rejects.toMatchObject({
      code: 'unsupported_runtime',
      source: 'AzureArc',
      details: { _tag: 'UnsupportedRuntime', capability: 'readFile' },
    })
    // Only the unauthenticated first request: the key it names is never read nor sent.
    expect(tokenRequests(emu).map((request) => request.headers.authorization)).toEqual([undefined])
  })

  it('workload identity: unsupported_runtime (readFile) before any request', async () => {
    const emu = emulator()
    const credential = new ManagedIdentityCredential({
      env: emu.env('WorkloadIdentity'),
      fetch: trustingFetch(emu),
    })
    const refusal = credential.getToken(SCOPE)
    await expect(refusal).rejects.toBeInstanceOf(CredentialUnavailableError)
    await expect(refusal).rejects.toMatchObject({
      code: 'unsupported_runtime',
      source: 'WorkloadIdentity',
      details: { _tag: 'UnsupportedRuntime', capability: 'readFile' },
    })
    expect(emu.requests).toEqual([])
  })
})
