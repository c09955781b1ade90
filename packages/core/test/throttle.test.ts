/**
 * Throttle memory (docs/protocol.md §5.2): after a final 429 or 5xx, calls that would reach the
 * endpoint fail at once with `throttled` (same family, the remembered status and request id)
 * without sending, for the Retry-After (at most 60 s) or 5 s; claims calls are not held back.
 */
import { describe, expect, test } from 'vitest'
import { createManagedIdentityClient } from '../src/index.js'
import { fakeWorld, json, tokenReply } from './fakes.js'

const ENV = { IDENTITY_ENDPOINT: 'http://127.0.0.1:1/msi/token', IDENTITY_HEADER: 'identity-header-value' }
const NO_RETRY = { retry: { maxRetries: 0 } }

const throttledWorld = (retryAfter?: string) => {
  let answered = 0
  const world = fakeWorld({
    respond: () =>
      answered++ === 0
        ? json(429, {}, retryAfter === undefined ? {} : { 'retry-after': retryAfter })
        : tokenReply(),
  })
  return { world, client: createManagedIdentityClient({ env: ENV, ...NO_RETRY }, world.capabilities) }
}

describe('after a final 429', () => {
  test('a call for any scope fails at once, without sending, in the remembered family', async () => {
    const { world, client } = throttledWorld('20')
    const first = await client.getToken('https://a.example/.default')
    expect(first).toMatchObject({ left: { code: 'http_error', status: 429 } })
    const requestId = first._tag === 'Left' ? first.left.requestId : undefined
    const second = await client.getToken('https://b.example/.default')
    expect(second).toMatchObject({ left: { code: 'throttled', family: 'failed', status: 429, requestId } })
    expect(world.sent).toHaveLength(1)
    expect(world.events.map((event) => event.event)).toEqual(
      expect.arrayContaining(['throttle-opened', 'throttled']),
    )
  })

  test('the window lasts the Retry-After, then calls go through and the log says it closed', async () => {
    const { world, client } = throttledWorld('20')
    await client.getToken('https://a.example/.default')
    world.advance(19_000)
    expect(await client.getToken('https://b.example/.default')).toMatchObject({ left: { code: 'throttled' } })
    world.advance(1_000)
    expect(await client.getToken('https://b.example/.default')).toMatchObject({ _tag: 'Right' })
    expect(world.events.map((event) => event.event)).toContain('throttle-closed')
  })

  test.each([
    [undefined, 5_000],
    ['3600', 60_000],
  ])('Retry-After %s holds the endpoint back %i ms', async (retryAfter, ms) => {
    const { world, client } = throttledWorld(retryAfter)
    await client.getToken('https://a.example/.default')
    world.advance(ms - 1)
    expect(await client.getToken('https://a.example/.default')).toMatchObject({ left: { code: 'throttled' } })
    world.advance(1)
    expect(await client.getToken('https://a.example/.default')).toMatchObject({ _tag: 'Right' })
  })

  test('a claims call is not held back', async () => {
    const { world, client } = throttledWorld('20')
    await client.getToken('https://a.example/.default')
    expect(await client.getToken('https://a.example/.default', { claims: 'c' })).toMatchObject({
      _tag: 'Right',
    })
    expect(world.sent).toHaveLength(2)
  })

  test('a 400, a 401 or a transport failure opens no window', async () => {
    let answered = 0
    const world = fakeWorld({ respond: () => (answered++ === 0 ? json(401, {}) : tokenReply()) })
    const client = createManagedIdentityClient({ env: ENV, ...NO_RETRY }, world.capabilities)
    await client.getToken('https://a.example/.default')
    expect(await client.getToken('https://a.example/.default')).toMatchObject({ _tag: 'Right' })
  })
})
