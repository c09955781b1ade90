/** Cache, single-flight, background refresh, stale fallback, claims, abort and deadline. */
import { describe, expect, test } from 'vitest'
import { createManagedIdentityClient, transportFailure } from '../src/index.js'
import { fakeWorld, json, testSignal, tokenReply } from './fakes.js'

const ENV = { IDENTITY_ENDPOINT: 'http://127.0.0.1:1/msi/token', IDENTITY_HEADER: 'identity-header-value' }
const SCOPE = 'https://management.azure.com/.default'
const HOUR = 3_600_000

describe('cache and single-flight', () => {
  test('100 concurrent getToken calls → one send', async () => {
    const world = fakeWorld({})
    const client = createManagedIdentityClient({ env: ENV }, world.capabilities)
    const results = await Promise.all(Array.from({ length: 100 }, () => client.getToken(SCOPE)))
    expect(world.sent).toHaveLength(1)
    expect(new Set(results.map((r) => r._tag === 'Right' && r.right.token))).toEqual(new Set(['token-value']))
  })

  test('one request per scope, then served from the cache', async () => {
    const world = fakeWorld({})
    const client = createManagedIdentityClient({ env: ENV }, world.capabilities)
    const scopes = Array.from({ length: 10 }, (_, i) => `https://r${i}.example/.default`)
    await Promise.all(scopes.flatMap((scope) => [client.getToken(scope), client.getToken([scope])]))
    await Promise.all(scopes.map((scope) => client.getToken(scope)))
    expect(world.sent).toHaveLength(10)
  })

  test('claims bypass the cache and single-flight', async () => {
    const world = fakeWorld({})
    const client = createManagedIdentityClient({ env: ENV }, world.capabilities)
    await client.getToken(SCOPE)
    await client.getToken(SCOPE, { claims: '{"access_token":{"nbf":{"essential":true}}}' })
    await client.getToken(SCOPE, { claims: 'c' })
    expect(world.sent).toHaveLength(3)
  })

  test('a failure is not cached: the next call asks again', async () => {
    const world = fakeWorld({ respond: (_r, i) => (i === 0 ? json(401, { error: 'no' }) : tokenReply()) })
    const client = createManagedIdentityClient({ env: ENV }, world.capabilities)
    expect(await client.getToken(SCOPE)).toMatchObject({ left: { _tag: 'Http', status: 401 } })
    expect(await client.getToken(SCOPE)).toMatchObject({ _tag: 'Right' })
  })
})

describe('refresh', () => {
  const longLived = () => tokenReply('first', 24 * 3600)

  test('past the refresh time: the cached token is returned and one background refresh runs', async () => {
    let count = 0
    const world = fakeWorld({ respond: () => tokenReply(`token-${++count}`, 24 * 3600) })
    const client = createManagedIdentityClient({ env: ENV }, world.capabilities)
    await client.getToken(SCOPE)
    world.now += 13 * HOUR
    const served = await Promise.all(Array.from({ length: 50 }, () => client.getToken(SCOPE)))
    expect(served.every((r) => r._tag === 'Right' && r.right.token === 'token-1')).toBe(true)
    await new Promise((resolve) => setImmediate(resolve))
    expect(world.sent).toHaveLength(2)
    expect(await client.getToken(SCOPE)).toMatchObject({ right: { token: 'token-2' } })
  })

  test('a failed background refresh keeps the cached token and is retried at most every 30 s', async () => {
    const world = fakeWorld({ respond: (_r, i) => (i === 0 ? longLived() : json(400, { error: 'down' })) })
    const client = createManagedIdentityClient({ env: ENV }, world.capabilities)
    await client.getToken(SCOPE)
    world.now += 13 * HOUR
    for (let i = 0; i < 20; i += 1) {
      expect(await client.getToken(SCOPE)).toMatchObject({ right: { token: 'first' } })
      await new Promise((resolve) => setImmediate(resolve))
      world.now += 1000
    }
    expect(world.sent).toHaveLength(2)
    world.now += 30_000
    await client.getToken(SCOPE)
    expect(world.sent).toHaveLength(3)
  })

  test('near expiry a failed refresh returns the still-valid token; after expiry, the error', async () => {
    const world = fakeWorld({
      respond: (_r, i) => (i === 0 ? tokenReply('first', 3600) : json(400, { error: 'down' })),
    })
    const client = createManagedIdentityClient({ env: ENV }, world.capabilities)
    await client.getToken(SCOPE)
    world.now += HOUR - 2 * 60_000
    expect(await client.getToken(SCOPE)).toMatchObject({ right: { token: 'first' } })
    expect(world.events).toContainEqual(expect.objectContaining({ event: 'stale-token-served' }))
    world.now += 3 * 60_000
    expect(await client.getToken(SCOPE)).toMatchObject({ left: { _tag: 'Http', status: 400 } })
  })
})

describe('abort and deadline', () => {
  test('abort stops a retry wait at once', async () => {
    const world = fakeWorld({ respond: () => json(503, {}), sleepForever: true })
    const client = createManagedIdentityClient({ env: ENV }, world.capabilities)
    const { signal, abort } = testSignal()
    const pending = client.getToken(SCOPE, { abortSignal: signal })
    await new Promise((resolve) => setImmediate(resolve))
    expect(world.sleeps).toHaveLength(1)
    abort()
    expect(await pending).toMatchObject({ left: { _tag: 'Aborted', code: 'aborted' } })
  })

  test('an already-aborted signal sends nothing', async () => {
    const world = fakeWorld({})
    const { signal, abort } = testSignal()
    abort()
    const result = await createManagedIdentityClient({ env: ENV }, world.capabilities).getToken(SCOPE, {
      abortSignal: signal,
    })
    expect(result).toMatchObject({ left: { _tag: 'Aborted' } })
    expect(world.sent).toHaveLength(0)
  })

  test('one caller aborting does not fail the others sharing the request', async () => {
    let release: () => void = () => undefined
    const gate = new Promise<void>((resolve) => {
      release = resolve
    })
    const world = fakeWorld({ respond: async () => gate.then(() => tokenReply()) })
    const client = createManagedIdentityClient({ env: ENV }, world.capabilities)
    const { signal, abort } = testSignal()
    const first = client.getToken(SCOPE, { abortSignal: signal })
    const second = client.getToken(SCOPE)
    abort()
    release()
    expect(await first).toMatchObject({ left: { _tag: 'Aborted' } })
    expect(await second).toMatchObject({ right: { token: 'token-value' } })
    expect(world.sent).toHaveLength(1)
  })

  test("each attempt's timeout is cut to what is left of the deadline", async () => {
    const world = fakeWorld({ respond: () => transportFailure('timeout', 'slow'), latencyMs: 3000 })
    const client = createManagedIdentityClient(
      { env: ENV, timeoutMs: 5000, deadlineMs: 8000 },
      world.capabilities,
    )
    const result = await client.getToken(SCOPE)
    expect(world.sent.map((r) => r.timeoutMs)).toEqual([5000, 4200])
    expect(result).toMatchObject({ left: { _tag: 'Timeout', code: 'timeout' } })
  })
})
