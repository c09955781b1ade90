/** Azure ML's plan as data: one GET with the `secret` header; the client id spelled `clientid`. */
import { describe, expect, test } from 'vitest'
import {
  IDENTITIES,
  identityQuery,
  plannedHeaders,
  query,
  sentRequests,
  tokenReply,
  walkFor,
} from './plans.js'

const SECRET = 'azure-ml-secret-value-1234'
const ENV = { MSI_ENDPOINT: 'http://127.0.0.1:46808/msi/token', MSI_SECRET: SECRET }
const NAMES = { clientId: 'clientid', objectId: 'object_id', resourceId: 'msi_res_id' }

describe.each(IDENTITIES)('with the %s identity', (_kind, identity) => {
  test('one GET with the secret header and the identity under its Azure ML name', () => {
    const walk = walkFor(ENV, { replies: [tokenReply()] }, { identity })
    const [request] = sentRequests(walk)
    expect(plannedHeaders(request)).toEqual({ secret: SECRET })
    expect(query(request?.url)).toEqual({
      'api-version': '2017-09-01',
      resource: 'https://management.azure.com',
      ...identityQuery(identity, NAMES),
    })
  })
})

test('the system identity is named by DEFAULT_IDENTITY_CLIENT_ID when the platform sets it', () => {
  const walk = walkFor({ ...ENV, DEFAULT_IDENTITY_CLIENT_ID: 'default-cid' }, { replies: [tokenReply()] })
  expect(query(sentRequests(walk)[0]?.url)).toMatchObject({ clientid: 'default-cid' })
})

test('a date-form expires_on is read', () => {
  const walk = walkFor(ENV, {
    replies: [tokenReply({ expires_in: undefined, expires_on: '1/16/2070 5:24:12 AM +00:00' })],
    startAt: Date.UTC(2070, 0, 16, 4, 24, 12),
  })
  expect(walk.result).toMatchObject({ right: { expiresOnTimestamp: Date.UTC(2070, 0, 16, 5, 24, 12) } })
})
