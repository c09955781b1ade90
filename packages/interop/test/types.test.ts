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

describe.each([
  ['@azmi/node-io', node],
  ['@azmi/fetch-io', fetch],
] as const)('%s ManagedIdentityCredential', (_name, credential) => {
  test('is a TokenCredential by the duck test Azure SDK clients apply', () => {
    expect(isTokenCredential(credential)).toBe(true)
  })
})

describe('both ManagedIdentityCredentials, for tsc', () => {
  test('are TokenCredentials that take the scopes and every GetTokenOptions, and resolve with an AccessToken', () => {
    expectTypeOf<NodeCredential>().toExtend<TokenCredential>()
    expectTypeOf<FetchCredential>().toExtend<TokenCredential>()
    expectTypeOf<NodeCredential['getToken']>().returns.resolves.toExtend<AccessToken>()
    expectTypeOf<FetchCredential['getToken']>().returns.resolves.toExtend<AccessToken>()
    expectTypeOf<NodeCredential['getToken']>().parameter(0).toEqualTypeOf<string | string[]>()
    expectTypeOf<FetchCredential['getToken']>().parameter(0).toEqualTypeOf<string | string[]>()
    expectTypeOf<GetTokenOptions>().toExtend<Parameters<NodeCredential['getToken']>[1]>()
    expectTypeOf<GetTokenOptions>().toExtend<Parameters<FetchCredential['getToken']>[1]>()
  })
})
