/** App Service's plan as data: one GET with the identity header, the identity under App Service's names. */
import { describe, expect, test } from 'vitest'
import { json } from '../fakes.js'
import {
  IDENTITIES,
  identityQuery,
  plannedHeaders,
  query,
  reply,
  selected,
  sentRequests,
  tokenReply,
  walkFor,
} from './plans.js'

const HEADER = 'identity-header-secret-value'
const ENV = { IDENTITY_ENDPOINT: 'http://127.0.0.1:41741/msi/token', IDENTITY_HEADER: HEADER }
const NAMES = { clientId: 'client_id', objectId: 'object_id', resourceId: 'mi_res_id' }

describe.each(IDENTITIES)('with the %s identity', (_kind, identity) => {
  test('one GET with the identity header and the identity under its App Service name', () => {
    const walk = walkFor(ENV, { replies: [tokenReply()] }, { identity })
    expect(walk.steps.map((step) => step._tag)).toEqual(['Send'])
    const [request] = sentRequests(walk)
    expect(plannedHeaders(request)).toEqual({ 'X-IDENTITY-HEADER': HEADER, Metadata: 'true' })
    expect(query(request?.url)).toEqual({
      'api-version': '2019-08-01',
      resource: 'https://management.azure.com',
      ...identityQuery(identity, NAMES),
    })
    expect(walk.result).toMatchObject({ right: { token: 'at' } })
  })
})

test('a resource-style scope keeps its trailing slash', () => {
  const walk = walkFor(ENV, { replies: [tokenReply()] }, { scope: 'https://storage.azure.com/' })
  expect(query(sentRequests(walk)[0]?.url).resource).toBe('https://storage.azure.com/')
})

test('a 503 is retried with backoff, then the token is read', () => {
  const walk = walkFor(ENV, { replies: [reply(json(503, {})), tokenReply()] })
  expect(walk.steps.map((step) => step._tag)).toEqual(['Send', 'Wait', 'Send'])
  expect(walk.result).toMatchObject({ right: { token: 'at' } })
})

test('a final error status is an http_error naming the status and the server text', () => {
  const walk = walkFor(ENV, { replies: [reply(json(401, { message: 'bad header' }))] })
  expect(walk.result).toMatchObject({ left: { code: 'http_error', status: 401, source: 'AppService' } })
  expect(walk.result._tag === 'Left' && walk.result.left.message).toContain('bad header')
})

test.each([
  [{ clientId: 'a', objectId: 'b' }, 'clientId+objectId'],
  [{ clientId: '' }, 'clientId'],
  [{ resourceId: '  ' }, 'resourceId'],
])('identity options %j are a configuration error before any plan', (identity, setting) => {
  expect(selected(ENV, identity)).toMatchObject({ left: { _tag: 'InvalidConfiguration', setting } })
})

describe('the identity header as every shell sends it', () => {
  test('spaces and tabs around it are trimmed (fetch drops them, Node would send them)', () => {
    const walk = walkFor({ ...ENV, IDENTITY_HEADER: ` \t${HEADER} ` }, { replies: [tokenReply()] })
    expect(plannedHeaders(sentRequests(walk)[0])['X-IDENTITY-HEADER']).toBe(HEADER)
  })

  test('a line break in it is a configuration error naming the variable, never the value', () => {
    const result = selected({ ...ENV, IDENTITY_HEADER: `${HEADER}\r\nInjected: 1` })
    expect(result).toMatchObject({ left: { code: 'invalid_configuration', setting: 'IDENTITY_HEADER' } })
    expect(JSON.stringify(result)).not.toContain(HEADER)
  })
})
