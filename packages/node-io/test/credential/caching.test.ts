/**
 * The cache and single flight over real sockets (docs/protocol.md §5): a cached token costs no
 * request, `claims` always goes to the endpoint, and however many callers ask at once, each
 * scope reaches the emulator as one request.
 */
import { decodeJwtPayload } from '@azmi/emulator'
import { emulatorPerFile, RESOURCE, requestsTo, SCOPE } from '@azmi/test-support'
import { describe, expect, test } from 'vitest'
import { ManagedIdentityCredential } from '../../src/index.js'

const emulator = emulatorPerFile()

const appServiceCredential = () => new ManagedIdentityCredential({ env: emulator().env('AppService') })

describe('the token cache', () => {
  test('a second getToken for the same scope sends nothing', async () => {
    const credential = appServiceCredential()
    const first = await credential.getToken(SCOPE)
    const second = await credential.getToken(SCOPE)
    expect(second.token).toBe(first.token)
    expect(requestsTo(emulator(), 'AppService')).toHaveLength(1)
  })

  test('another scope is another entry', async () => {
    const credential = appServiceCredential()
    await credential.getToken(SCOPE)
    const vault = await credential.getToken('https://vault.azure.net/.default')
    expect(decodeJwtPayload(vault.token)).toMatchObject({ aud: 'https://vault.azure.net' })
    expect(requestsTo(emulator(), 'AppService').map((request) => request.query.resource)).toEqual([
      RESOURCE,
      'https://vault.azure.net',
    ])
  })

  test('a request with claims bypasses the cache and is sent again', async () => {
    const credential = appServiceCredential()
    const cached = await credential.getToken(SCOPE)
    const claims = '{"access_token":{"nbf":{"essential":true,"value":"1700000000"}}}'
    const challenged = await credential.getToken(SCOPE, { claims })
    expect(challenged.token).not.toBe(cached.token)
    expect(requestsTo(emulator(), 'AppService')).toHaveLength(2)
  })
})

describe('single flight', () => {
  test('1000 concurrent getToken calls on a fresh credential reach the emulator as one request', async () => {
    const credential = appServiceCredential()
    const tokens = await Promise.all(Array.from({ length: 1000 }, () => credential.getToken(SCOPE)))
    expect(new Set(tokens.map((token) => token.token)).size).toBe(1)
    expect(requestsTo(emulator(), 'AppService')).toHaveLength(1)
  })

  test('10 scopes × 100 concurrent calls are 10 requests, one per scope', async () => {
    const credential = appServiceCredential()
    const resources = Array.from({ length: 10 }, (_, index) => `https://resource-${index}.example.com`)
    const calls = resources.flatMap((resource) =>
      Array.from({ length: 100 }, () =>
        credential.getToken(`${resource}/.default`).then((token) => ({ resource, token: token.token })),
      ),
    )
    const results = await Promise.all(calls)
    for (const { resource, token } of results)
      expect(decodeJwtPayload(token)).toMatchObject({ aud: resource })
    // every caller of one scope shares that scope's single token
    expect(new Set(results.map(({ token }) => token)).size).toBe(10)
    const sent = requestsTo(emulator(), 'AppService').map((request) => request.query.resource)
    expect([...sent].sort()).toEqual([...resources].sort())
  })
})
