/**
 * Sloppy JavaScript callers (docs/protocol.md §1.3, §4): both constructor forms of
 * `@azure/identity`, and every wrong value a typed configuration error that names it — never a
 * `TypeError`, a hang, or the system-assigned identity by accident.
 */
import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import { createManagedIdentityClient, credentialArguments } from '../src/index.js'
import { fakeWorld } from './fakes.js'

const ENV = { IDENTITY_ENDPOINT: 'http://127.0.0.1:1/msi/token', IDENTITY_HEADER: 'identity-header-value' }
const SCOPE = 'https://vault.azure.net/.default'

describe('the constructor forms', () => {
  test('(clientId, options) means { ...options, clientId }', () => {
    expect(credentialArguments('cid', { env: ENV })).toEqual({
      _tag: 'Right',
      right: { env: ENV, clientId: 'cid' },
    })
  })

  test('(options) and () are the options, or none', () => {
    expect(credentialArguments({ objectId: 'oid' }, undefined)).toEqual({
      _tag: 'Right',
      right: { objectId: 'oid' },
    })
    expect(credentialArguments(undefined, undefined)).toEqual({ _tag: 'Right', right: {} })
  })

  test.each([[123], [null], [true], [['cid']], [() => 'cid']])(
    '%j as the first argument is a configuration error',
    (first) => {
      expect(credentialArguments(first, undefined)).toMatchObject({
        left: { code: 'invalid_configuration', setting: 'options' },
      })
    },
  )

  test('a client id given twice is a configuration error', () => {
    expect(credentialArguments('a', { clientId: 'b' })).toMatchObject({ left: { setting: 'clientId' } })
    expect(credentialArguments('a', { resourceId: '/r' })).toMatchObject({ left: { setting: 'resourceId' } })
  })
})

describe('option types', () => {
  test.each([
    [{ clientId: 123 }, 'clientId'],
    [{ clientId: null }, 'clientId'],
    [{ logger: 'verbose' }, 'logger'],
    [{ tracer: {} }, 'tracer'],
    [{ timeoutMs: -1 }, 'timeoutMs'],
    [{ retry: { maxRetries: 1.5 } }, 'retry'],
    [{ env: { IDENTITY_HEADER: 42 } }, 'env'],
    [{ clientCapabilities: 'cp1' }, 'clientCapabilities'],
  ])('%j is a configuration error naming %s', (options, setting) => {
    const client = createManagedIdentityClient({ env: ENV, ...options } as never, fakeWorld({}).capabilities)
    expect(client.selection).toMatchObject({ left: { code: 'invalid_configuration', setting } })
  })
})

describe('getToken arguments', () => {
  const client = () => createManagedIdentityClient({ env: ENV }, fakeWorld({}).capabilities)

  test.each([[123], [[123]], [[null]], [null], [{}], [undefined]])(
    'scopes %j: invalid_scope, saying what to pass',
    async (scopes) => {
      const result = await client().getToken(scopes as never)
      expect(result).toMatchObject({ left: { code: 'invalid_scope', family: 'configuration' } })
      expect(result._tag === 'Left' && result.left.message).toMatch(/scope/)
    },
  )

  test.each([
    [null, 'getToken options'],
    [{ abortSignal: {} }, 'abortSignal'],
    [{ abortSignal: { aborted: 'no' } }, 'abortSignal'],
    [{ claims: 5 }, 'claims'],
    [{ requestOptions: { timeout: 'soon' } }, 'requestOptions'],
  ])('options %j: a configuration error naming %s', async (options, setting) => {
    expect(await client().getToken(SCOPE, options as never)).toMatchObject({
      left: { code: 'invalid_configuration', setting },
    })
  })

  test('whatever is passed, getToken resolves with a typed result and never throws or rejects', async () => {
    await fc.assert(
      fc.asyncProperty(fc.anything(), fc.anything(), async (scopes, options) => {
        const result = await client().getToken(scopes as never, options as never)
        expect(['Left', 'Right']).toContain(result._tag)
      }),
      { numRuns: 300 },
    )
  })
})
