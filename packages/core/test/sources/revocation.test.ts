/**
 * Service Fabric's revocation and client capabilities (docs/protocol.md §2.3): a claims call
 * names the cached token's SHA-256 in `token_sha256_to_refresh`, `clientCapabilities` become
 * `xms_cc`; other sources send neither.
 */
import { describe, expect, test } from 'vitest'
import { createManagedIdentityClient } from '../../src/index.js'
import { fakeWorld, tokenReply } from '../fakes.js'

const SERVICE_FABRIC = {
  IDENTITY_ENDPOINT: 'https://127.0.0.1:2377/sf',
  IDENTITY_HEADER: 'sf-identity-header',
  IDENTITY_SERVER_THUMBPRINT: 'A'.repeat(40),
}
const APP_SERVICE = { IDENTITY_ENDPOINT: 'http://127.0.0.1:1/as', IDENTITY_HEADER: 'as-identity-header' }
const SCOPE = 'https://vault.azure.net/.default'
const digests: Array<string> = []
const sha256 = async (text: string) => {
  digests.push(text)
  return `sha256-of-${text}`
}

const twoCalls = async (env: Record<string, string>, clientCapabilities?: ReadonlyArray<string>) => {
  let issued = 0
  const world = fakeWorld({ sha256, respond: () => tokenReply(`token-${++issued}`) })
  const client = createManagedIdentityClient(
    { env, ...(clientCapabilities && { clientCapabilities }) },
    world.capabilities,
  )
  await client.getToken(SCOPE)
  const second = await client.getToken(SCOPE, { claims: '{"access_token":{"nbf":{"essential":true}}}' })
  return {
    world,
    second,
    queries: world.sent.map((request) => Object.fromEntries(new URL(request.url).searchParams)),
  }
}

describe('Service Fabric', () => {
  test('a claims call names the cached token to revoke, and its new token replaces it', async () => {
    const { queries, second } = await twoCalls(SERVICE_FABRIC)
    expect(queries[0]?.token_sha256_to_refresh).toBeUndefined()
    expect(queries[1]?.token_sha256_to_refresh).toBe('sha256-of-token-1')
    expect(second).toMatchObject({ right: { token: 'token-2' } })
  })

  test('client capabilities go on every request as xms_cc', async () => {
    const { queries } = await twoCalls(SERVICE_FABRIC, ['cp1', 'cp2'])
    expect(queries.map((query) => query.xms_cc)).toEqual(['cp1,cp2', 'cp1,cp2'])
  })

  test('a runtime with no SHA-256 still sends the claims call, without the parameter, and says so', async () => {
    const world = fakeWorld({ sha256: false })
    const client = createManagedIdentityClient({ env: SERVICE_FABRIC }, world.capabilities)
    await client.getToken(SCOPE)
    expect(await client.getToken(SCOPE, { claims: 'c' })).toMatchObject({ _tag: 'Right' })
    expect(new URL(world.sent[1]?.url ?? 'http://x').searchParams.has('token_sha256_to_refresh')).toBe(false)
    expect(world.events.map((event) => event.event)).toContain('revocation-skipped')
  })
})

test('other sources send neither parameter', async () => {
  const { queries } = await twoCalls(APP_SERVICE, ['cp1'])
  for (const query of queries) {
    expect(query.token_sha256_to_refresh).toBeUndefined()
    expect(query.xms_cc).toBeUndefined()
  }
})
