/** IMDS's probe, retries and error readings, driven on a fake clock. */
import { describe, expect, test } from 'vitest'
import {
  createManagedIdentityClient,
  type ManagedIdentityOptions,
  transportFailure,
} from '../../src/index.js'
import { type FakeOptions, fakeWorld, json, tokenReply as tokenResponse } from '../fakes.js'
import {
  IDENTITIES,
  identityQuery,
  plannedHeaders,
  query,
  reply,
  sentRequests,
  tokenReply,
  walkFor,
} from './plans.js'

const SCOPE = 'https://management.azure.com/.default'
const run = async (fake: FakeOptions, options: Partial<ManagedIdentityOptions> = {}) => {
  const world = fakeWorld(fake)
  const started = world.now
  const result = await createManagedIdentityClient({ env: {}, ...options }, world.capabilities).getToken(
    SCOPE,
  )
  return { result, world, elapsed: world.now - started }
}

describe('retries', () => {
  test.each([404, 408, 429, 500, 503])('status %i is retried, then the token is returned', async (status) => {
    const { result, world } = await run({ respond: (_r, i) => (i < 2 ? json(status, {}) : tokenResponse()) })
    expect(result).toMatchObject({ right: { token: 'token-value' } })
    expect(world.sent).toHaveLength(3)
  })

  test('exponential backoff from 0.8 s, doubling, with at most 5 retries', async () => {
    const { result, world } = await run({ respond: () => json(500, { error: 'boom' }), random: () => 0.5 })
    expect(world.sent).toHaveLength(6)
    expect(world.sleeps).toEqual([800, 1600, 3200, 6400, 12800])
    expect(result).toMatchObject({
      left: { _tag: 'Http', code: 'http_error', family: 'failed', status: 500 },
    })
  })

  test('jitter is drawn within ±20 % of the delay', async () => {
    const low = await run({
      respond: (_r, i) => (i === 0 ? json(500, {}) : tokenResponse()),
      random: () => 0,
    })
    const high = await run({
      respond: (_r, i) => (i === 0 ? json(500, {}) : tokenResponse()),
      random: () => 0.999999,
    })
    expect(low.world.sleeps[0]).toBe(640)
    expect(high.world.sleeps[0]).toBeCloseTo(960, 0)
  })

  test('Retry-After in seconds overrides the backoff', async () => {
    const { world } = await run({
      respond: (_r, i) => (i === 0 ? json(429, {}, { 'retry-after': '7' }) : tokenResponse()),
    })
    expect(world.sleeps).toEqual([7000])
  })

  test('Retry-After as an HTTP date overrides the backoff', async () => {
    const world = fakeWorld({})
    const at = new Date(world.now + 12_000).toUTCString()
    const { world: used } = await run({
      startAt: world.now,
      respond: (_r, i) => (i === 0 ? json(503, {}, { 'Retry-After': at }) : tokenResponse()),
    })
    expect(used.sleeps).toHaveLength(1)
    expect(used.sleeps[0]).toBeGreaterThan(11_000)
    expect(used.sleeps[0]).toBeLessThanOrEqual(12_000)
  })

  test('410 keeps being retried for at least 70 s on the fake clock', async () => {
    const { result, world, elapsed } = await run({
      respond: () => json(410, { error: 'updating' }),
      latencyMs: 10,
    })
    expect(world.sent.length).toBeGreaterThan(6)
    expect(elapsed).toBeGreaterThanOrEqual(70_000)
    expect(result).toMatchObject({ left: { _tag: 'Http', status: 410 } })
  })

  test('410 then success returns the token', async () => {
    // 410s at 0, 10, 20, 30, 40 and 52.8 s (the backoff passes 10 s), then the token at 78.4 s
    const { result } = await run({ respond: (_r, i) => (i < 6 ? json(410, {}) : tokenResponse()) })
    expect(result).toMatchObject({ right: { token: 'token-value' } })
  })

  test('connection failures are retried, then reported as IMDS being unavailable', async () => {
    const { result, world } = await run({ respond: () => transportFailure('connect', 'ECONNREFUSED') })
    expect(world.sent).toHaveLength(6)
    expect(result).toMatchObject({ left: { _tag: 'ImdsUnavailable', family: 'unavailable' } })
  })

  test('a wait that would pass the deadline is not started', async () => {
    const { result, world } = await run({ respond: () => json(503, {}) }, { deadlineMs: 5_000 })
    expect(world.sleeps).toEqual([800, 1600])
    expect(result).toMatchObject({ left: { _tag: 'Http', status: 503 } })
  })

  test('retry waits are logged with their reason', async () => {
    const { world } = await run({ respond: (_r, i) => (i === 0 ? json(500, {}) : tokenResponse()) })
    expect(world.events).toContainEqual(
      expect.objectContaining({ event: 'retry-scheduled', attempt: 1, status: 500, delayMs: 800 }),
    )
  })
})

describe('error readings', () => {
  test('400 without an identity: no identity assigned, unavailable, not retried', async () => {
    const { result, world } = await run({
      respond: () => json(400, { error: 'invalid_request', error_description: 'Identity not found' }),
    })
    expect(world.sent).toHaveLength(1)
    expect(result).toMatchObject({
      left: { _tag: 'IdentityNotAssigned', family: 'unavailable', code: 'identity_not_assigned' },
    })
    expect(result._tag === 'Left' && result.left.message).toMatch(
      /^No identity has been assigned to this resource\. IMDS said: Identity not found/,
    )
  })

  test('400 with a client id: the requested identity is not assigned', async () => {
    const { result } = await run(
      { respond: () => json(400, { error: 'invalid_request' }) },
      { clientId: 'abc' },
    )
    expect(result._tag === 'Left' && result.left.message).toContain(
      'The requested identity has not been assigned to this resource',
    )
  })

  test('a 200 that is not JSON means something else answered: unavailable', async () => {
    const { result } = await run({
      respond: () => ({ status: 200, headers: { 'content-type': 'text/html' }, body: '<html>router</html>' }),
    })
    expect(result).toMatchObject({ left: { _tag: 'ImdsUnavailable', family: 'unavailable' } })
  })
})

describe('probe', () => {
  test('off by default', async () => {
    const { world } = await run({})
    expect(world.sent).toHaveLength(1)
    expect(plannedHeaders(world.sent[0])).toEqual({ Metadata: 'true' })
  })

  test('when on: one request without Metadata and a 1 s timeout, then the token request', async () => {
    const { result, world } = await run(
      { respond: (_r, i) => (i === 0 ? json(400, {}) : tokenResponse()) },
      { probe: true },
    )
    expect(result).toMatchObject({ _tag: 'Right' })
    expect(world.sent.map((r) => [plannedHeaders(r), r.timeoutMs])).toEqual([
      [{}, 1000],
      [{ Metadata: 'true' }, 10_000],
    ])
  })

  test('no reply: unavailable, no retries; the next call probes again', async () => {
    const world = fakeWorld({ respond: () => transportFailure('timeout', 'no answer') })
    const client = createManagedIdentityClient({ env: {}, probe: true }, world.capabilities)
    expect(await client.getToken(SCOPE)).toMatchObject({ left: { _tag: 'ImdsUnavailable' } })
    expect(world.sent).toHaveLength(1)
    await client.getToken(SCOPE)
    expect(world.sent).toHaveLength(2)
    expect(world.sleeps).toEqual([])
  })

  test('a passed probe is remembered', async () => {
    const world = fakeWorld({})
    const client = createManagedIdentityClient({ env: {}, probe: true }, world.capabilities)
    await client.getToken(SCOPE)
    await client.getToken('https://vault.azure.net/.default')
    expect(world.sent.filter((r) => !('Metadata' in r.headers))).toHaveLength(1)
  })

  test('Docker Desktop\'s 403 "unreachable" counts as no IMDS', async () => {
    const { result } = await run(
      { respond: () => json(403, 'connecting to 169.254.169.254:80: unreachable network') },
      { probe: true },
    )
    expect(result).toMatchObject({ left: { _tag: 'ImdsUnavailable' } })
  })

  test('skipped with a pod-identity host', async () => {
    const { world } = await run(
      {},
      { probe: true, env: { AZURE_POD_IDENTITY_AUTHORITY_HOST: 'http://127.0.0.1:9' } },
    )
    expect(world.sent).toHaveLength(1)
    expect(world.sent[0]?.url.startsWith('http://127.0.0.1:9/metadata/identity/oauth2/token?')).toBe(true)
  })
})

describe('the plan as data', () => {
  const NAMES = { clientId: 'client_id', objectId: 'object_id', resourceId: 'msi_res_id' }

  describe.each(IDENTITIES)('with the %s identity', (_kind, identity) => {
    test('one GET to the link-local address with Metadata: true', () => {
      const walk = walkFor({}, { replies: [tokenReply()] }, { identity })
      const [request] = sentRequests(walk)
      expect(request?.url.startsWith('http://169.254.169.254/metadata/identity/oauth2/token?')).toBe(true)
      expect(plannedHeaders(request)).toEqual({ Metadata: 'true' })
      expect(query(request?.url)).toEqual({
        'api-version': '2018-02-01',
        resource: 'https://management.azure.com',
        ...identityQuery(identity, NAMES),
      })
    })
  })

  test('with the probe: a GET without Metadata and a 1 s timeout, a note, then the token request', () => {
    const walk = walkFor({}, { replies: [reply(json(400, {})), tokenReply()] }, { probe: true })
    expect(walk.steps.map((step) => (step._tag === 'Note' ? step.event.event : step._tag))).toEqual([
      'Send',
      'probe-succeeded',
      'Send',
    ])
    expect(sentRequests(walk).map((request) => [plannedHeaders(request), request.timeoutMs])).toEqual([
      [{}, 1000],
      [{ Metadata: 'true' }, 10_000],
    ])
  })

  test('a pod-identity host is asked directly and never probed', () => {
    const walk = walkFor(
      { AZURE_POD_IDENTITY_AUTHORITY_HOST: 'http://127.0.0.1:9/' },
      { replies: [tokenReply()] },
      { probe: true },
    )
    expect(sentRequests(walk).map((request) => request.url.split('?')[0])).toEqual([
      'http://127.0.0.1:9/metadata/identity/oauth2/token',
    ])
  })
})
