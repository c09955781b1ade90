/** Service Fabric's plan as data: one pinned GET with the Secret header; no user-assigned identity. */
import { describe, expect, test } from 'vitest'
import { IDENTITIES, plannedHeaders, query, selected, sentRequests, tokenReply, walkFor } from './plans.js'

const HEADER = 'identity-header-secret-value'
const ENV = {
  IDENTITY_ENDPOINT: 'https://10.0.0.4:2377/metadata/identity/oauth2/token',
  IDENTITY_HEADER: HEADER,
  IDENTITY_SERVER_THUMBPRINT: 'ab:cd:ef:01:23:45:67:89:ab:cd:ef:01:23:45:67:89:ab:cd:ef:01',
}

test('one GET pinned to the normalised thumbprint, with the Secret header', () => {
  const walk = walkFor(ENV, { replies: [tokenReply()] })
  const [request] = sentRequests(walk)
  expect(walk.steps.map((step) => step._tag)).toEqual(['Send'])
  expect(request?.tls).toEqual({ sha1Thumbprint: 'ABCDEF0123456789ABCDEF0123456789ABCDEF01' })
  expect(plannedHeaders(request)).toEqual({ Secret: HEADER })
  expect(query(request?.url)).toEqual({
    'api-version': '2019-07-01-preview',
    resource: 'https://management.azure.com',
  })
})

describe.each(IDENTITIES.filter(([kind]) => kind !== 'system'))('with the %s identity', (_kind, identity) => {
  test('refused before any request: the cluster configuration decides the identity', () => {
    expect(selected(ENV, identity)).toMatchObject({
      left: { _tag: 'UnsupportedIdentity', code: 'unsupported_identity', source: 'ServiceFabric' },
    })
    expect(JSON.stringify(selected(ENV, identity))).toContain('Service Fabric cluster configuration')
  })
})

test.each([
  ['plain http', { IDENTITY_ENDPOINT: 'http://10.0.0.4:2377/token' }, 'IDENTITY_ENDPOINT'],
  ['a thumbprint that is not SHA-1', { IDENTITY_SERVER_THUMBPRINT: 'abc' }, 'IDENTITY_SERVER_THUMBPRINT'],
])('%s is a configuration error naming the variable', (_name, change, setting) => {
  expect(selected({ ...ENV, ...change })).toMatchObject({ left: { code: 'invalid_configuration', setting } })
})
