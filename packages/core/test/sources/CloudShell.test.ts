/** Cloud Shell's plan as data: a form POST with no query string; no user-assigned identity. */
import { describe, expect, test } from 'vitest'
import { IDENTITIES, selected, sentRequests, tokenReply, walkFor } from './plans.js'

const ENV = { MSI_ENDPOINT: 'http://localhost:50342/oauth2/token' }

test('one form POST of the resource', () => {
  const walk = walkFor(ENV, { replies: [tokenReply()] }, { scope: 'https://storage.azure.com/.default' })
  expect(sentRequests(walk)).toEqual([
    {
      method: 'POST',
      url: 'http://localhost:50342/oauth2/token',
      headers: {
        Metadata: 'true',
        'Content-Type': 'application/x-www-form-urlencoded',
        'x-ms-client-request-id': 'request-1',
      },
      body: 'resource=https%3A%2F%2Fstorage.azure.com',
      timeoutMs: 10_000,
    },
  ])
})

describe.each(IDENTITIES.filter(([kind]) => kind !== 'system'))('with the %s identity', (_kind, identity) => {
  test('refused before any request: Cloud Shell is the signed-in user', () => {
    expect(selected(ENV, identity)).toMatchObject({
      left: { code: 'unsupported_identity', source: 'CloudShell' },
    })
  })
})
