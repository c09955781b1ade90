/**
 * Type-level interop: both azmi credentials are `@azure/core-auth` `TokenCredential`s, and the
 * token they resolve with is core-auth's `AccessToken`. The checks that matter are done by
 * `tsc -p packages/interop` (the package's `typecheck` script), which compiles this file:
 * the annotated assignments and `expectTypeOf` calls fail the build when a type stops fitting.
 * At run time `expectTypeOf` does nothing; `isTokenCredential` is core-auth's own duck test,
 * the one Azure SDK clients apply to the credential they are given.
 */
import type { ManagedIdentityCredential as FetchCredential } from '@azmi/fetch-io'
import { ManagedIdentityCredential as FetchManagedIdentityCredential } from '@azmi/fetch-io'
import type { ManagedIdentityCredential as NodeCredential } from '@azmi/node-io'
import { ManagedIdentityCredential as NodeManagedIdentityCredential } from '@azmi/node-io'
import type { AccessToken, GetTokenOptions, TokenCredential } from '@azure/core-auth'
import { isTokenCredential } from '@azure/core-auth'
import { describe, expect, expectTypeOf, test } from 'vitest'

// An empty environment selects IMDS; nothing is asked of it, so no request is made.
const node: TokenCredential = new NodeManagedIdentityCredential({ env: {} })
const fetch: TokenCredential = new FetchManagedIdentityCredential({ env: {} })

describe('@azmi/node-io ManagedIdentityCredential', () => {
  test('is a TokenCredential', () => {
    expectTypeOf<NodeCredential>().toExtend<TokenCredential>()
    expect(isTokenCredential(node)).toBe(true)
  })

  test('resolves with an @azure/core-auth AccessToken', () => {
    expectTypeOf<NodeCredential['getToken']>().returns.resolves.toExtend<AccessToken>()
  })

  test('takes the scopes and every GetTokenOptions an Azure SDK client passes', () => {
    expectTypeOf<NodeCredential['getToken']>().parameter(0).toEqualTypeOf<string | string[]>()
    expectTypeOf<GetTokenOptions>().toExtend<Parameters<NodeCredential['getToken']>[1]>()
  })
})

describe('@azmi/fetch-io ManagedIdentityCredential', () => {
  test('is a TokenCredential', () => {
    expectTypeOf<FetchCredential>().toExtend<TokenCredential>()
    expect(isTokenCredential(fetch)).toBe(true)
  })

  test('resolves with an @azure/core-auth AccessToken', () => {
    expectTypeOf<FetchCredential['getToken']>().returns.resolves.toExtend<AccessToken>()
  })

  test('takes the scopes and every GetTokenOptions an Azure SDK client passes', () => {
    expectTypeOf<FetchCredential['getToken']>().parameter(0).toEqualTypeOf<string | string[]>()
    expectTypeOf<GetTokenOptions>().toExtend<Parameters<FetchCredential['getToken']>[1]>()
  })
})
