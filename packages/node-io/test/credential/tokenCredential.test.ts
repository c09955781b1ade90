/**
 * `ManagedIdentityCredential` is an `@azure/core-auth` `TokenCredential` (design.md rule 6):
 * checked against the real package, so `tsc -p packages/node-io` fails when the credential,
 * the options it takes or the token it resolves with stop fitting. The runtime assertions
 * are the least part of it.
 */
import type { AccessToken, GetTokenOptions, TokenCredential } from '@azure/core-auth'
import { isTokenCredential } from '@azure/core-auth'
import { describe, expect, expectTypeOf, test } from 'vitest'
import type { AccessToken as AzmiAccessToken, TokenOptions } from '../../src/index.js'
import { ManagedIdentityCredential } from '../../src/index.js'

describe('ManagedIdentityCredential as an @azure/core-auth TokenCredential', () => {
  test('is assignable wherever an Azure SDK client takes a TokenCredential', () => {
    // No request is made: the empty environment selects IMDS and nothing is asked of it.
    const credential: TokenCredential = new ManagedIdentityCredential({ env: {} })
    expect(isTokenCredential(credential)).toBe(true)
  })

  test('resolves with an AccessToken of the core-auth shape', () => {
    expectTypeOf<AzmiAccessToken>().toExtend<AccessToken>()
    expectTypeOf<ManagedIdentityCredential['getToken']>().returns.resolves.toExtend<AccessToken>()
  })

  test('takes every GetTokenOptions an Azure SDK client passes, and the same scopes', () => {
    expectTypeOf<GetTokenOptions>().toExtend<TokenOptions>()
    expectTypeOf<ManagedIdentityCredential['getToken']>().parameter(0).toEqualTypeOf<string | string[]>()
  })
})
