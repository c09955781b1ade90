/**
 * Never harm the host (docs/protocol.md §4, §5, §6): hooks that throw change nothing, a late
 * caller never inherits an abort, background work says it is background, and over arbitrary
 * replies every call settles within its deadline, within the request bound, with no secret.
 */
import fc from 'fast-check'
import * as E from 'fp-ts/lib/Either.js'
import { describe, expect, test } from 'vitest'
import { type CallHints, createManagedIdentityClient, redactBody, SOURCE_NAMES } from '../src/index.js'
import { replyArbitrary, SOURCE_ENVIRONMENTS, SOURCE_FILES } from './arbitraries.js'
import { fakeWorld, testSignal, tokenReply } from './fakes.js'

const ENV = { IDENTITY_ENDPOINT: 'http://127.0.0.1:1/msi/token', IDENTITY_HEADER: 'identity-header-value' }
const SCOPE = 'https://vault.azure.net/.default'

describe('hooks that throw', () => {
  test.each([
    [
      'throws',
      () => {
        throw new Error('logger bug')
      },
    ],
    ['rejects', () => Promise.reject(new Error('async logger bug'))],
  ])('a logger that %s changes nothing, with or without an abort signal', async (_how, logger) => {
    const world = fakeWorld({})
    const capabilities = { ...world.capabilities, log: logger as never }
    const client = createManagedIdentityClient({ env: ENV }, capabilities)
    expect(await client.getToken(SCOPE)).toMatchObject({ _tag: 'Right' })
    const { signal } = testSignal()
    expect(await client.getToken('https://other.example/.default', { abortSignal: signal })).toMatchObject({
      _tag: 'Right',
    })
  })
})

describe('a late caller never inherits an abort', () => {
  const gatedWorld = () => {
    const gates: Array<() => void> = []
    const world = fakeWorld({
      respond: () => new Promise((resolve) => gates.push(() => resolve(tokenReply(`token-${gates.length}`)))),
    })
    return {
      world,
      open: () => {
        for (const open of gates.splice(0)) open()
      },
    }
  }

  test('the only waiter aborts, a caller without a signal joins in the same tick: a fresh request', async () => {
    const { world, open } = gatedWorld()
    const client = createManagedIdentityClient({ env: ENV }, world.capabilities)
    const { signal, abort } = testSignal()
    const first = client.getToken(SCOPE, { abortSignal: signal })
    await Promise.resolve()
    abort()
    const late = client.getToken(SCOPE)
    await new Promise((resolve) => setImmediate(resolve))
    open()
    expect(await first).toMatchObject({ left: { code: 'aborted' } })
    expect(await late).toMatchObject({ _tag: 'Right' })
  })

  test('while the cancelled run still sits in a slow file read', async () => {
    let release: () => void = () => undefined
    const world = fakeWorld({ files: SOURCE_FILES })
    const readFile = (path: string, maxBytes: number) =>
      new Promise<Awaited<ReturnType<NonNullable<typeof world.capabilities.readFile>>>>((resolve) => {
        release = () => void world.capabilities.readFile?.(path, maxBytes).then(resolve)
      })
    const client = createManagedIdentityClient(
      { env: SOURCE_ENVIRONMENTS.WorkloadIdentity },
      { ...world.capabilities, readFile },
    )
    const { signal, abort } = testSignal()
    const first = client.getToken(SCOPE, { abortSignal: signal })
    await new Promise((resolve) => setImmediate(resolve))
    abort()
    const late = client.getToken(SCOPE)
    await new Promise((resolve) => setImmediate(resolve))
    release()
    await new Promise((resolve) => setImmediate(resolve))
    release()
    expect(await first).toMatchObject({ left: { code: 'aborted' } })
    expect(await late).toMatchObject({ _tag: 'Right' })
  })
})

test('a background refresh tells every capability it is background work', async () => {
  const hints: Array<CallHints | undefined> = []
  const world = fakeWorld({ respond: () => tokenReply('t', 24 * 3600) })
  const send: typeof world.capabilities.send = (request, signal, hint) => {
    hints.push(hint)
    return world.capabilities.send(request, signal, hint)
  }
  const client = createManagedIdentityClient({ env: ENV }, { ...world.capabilities, send })
  await client.getToken(SCOPE)
  world.advance(13 * 3_600_000)
  await client.getToken(SCOPE)
  await new Promise((resolve) => setImmediate(resolve))
  expect(hints).toEqual([undefined, { background: true }])
})

test('over arbitrary replies, every call settles within its deadline and the request bound, with no secret', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.constantFrom(...SOURCE_NAMES),
      fc.array(replyArbitrary, { maxLength: 16 }),
      fc.integer({ min: 1_000, max: 300_000 }),
      async (name, replies, deadlineMs) => {
        const world = fakeWorld({
          files: SOURCE_FILES,
          latencyMs: 11,
          platform: { os: 'linux' },
          respond: (_request, index) => {
            const reply =
              replies[index] ??
              E.left({ _tag: 'TransportFailure' as const, kind: 'connect' as const, detail: 'gone' })
            return E.isLeft(reply) ? reply.left : reply.right
          },
        })
        const started = world.now
        const result = await createManagedIdentityClient(
          { env: SOURCE_ENVIRONMENTS[name], deadlineMs },
          world.capabilities,
        ).getToken(SCOPE)
        expect(['Left', 'Right']).toContain(result._tag)
        expect(world.sent.length).toBeLessThanOrEqual(12)
        expect(world.now - started).toBeLessThanOrEqual(deadlineMs)
        const secrets = [
          ...Object.values(SOURCE_FILES),
          'sf-identity-header',
          'as-identity-header',
          'ml-secret-value',
        ]
        const visible = JSON.stringify([E.isLeft(result) ? result.left : '', world.events])
        for (const secret of secrets) expect(visible).not.toContain(secret)
      },
    ),
    { numRuns: 300 },
  )
})

describe('quoting a large body (redactBody)', () => {
  const jwt = `eyJ${'a'.repeat(40)}.${'b'.repeat(40)}.${'c'.repeat(40)}`

  test('only what the quote can reach is redacted, yet a JWT across that reach is masked whole', () => {
    // the JWT begins inside the quote and runs far past the redacted reach
    const body = `${'x '.repeat(480)}${jwt}${'d'.repeat(200_000)} tail`
    const quoted = redactBody(body)
    expect(quoted).not.toContain('eyJ')
    expect(quoted.endsWith('... (truncated)')).toBe(true)
  })

  test('an unclosed access_token field past the quote is masked to the end of what is quoted', () => {
    const body = `not json ${'y'.repeat(990)} "access_token": "opaque secret value with spaces ${'z'.repeat(300_000)}`
    const quoted = redactBody(body)
    expect(quoted).not.toContain('opaque')
  })

  test('a quote that had to drop text says so even when masks made it short', () => {
    const body = Array.from({ length: 400 }, () => jwt).join(' ')
    const quoted = redactBody(body)
    expect(quoted.length).toBeLessThan(1000 + '... (truncated)'.length)
    expect(quoted.endsWith('... (truncated)')).toBe(true)
    expect(quoted).not.toContain('eyJ')
  })
})

describe('token fields in a body that is not JSON, however their keys are spelled', () => {
  test.each([
    ['a JSON-escaped key, unclosed', '{"error":"x","acc\\u0065ss_token":"OPAQUE-LEAK-123456"'],
    ['an escaped key among others', 'oops {"a": "b", "refresh\\u005ftoken": "OPAQUE-LEAK-123456", '],
    ['a percent-escaped form key', 'error=x&acc%65ss_token=OPAQUE-LEAK-123456'],
    ['a form key after punctuation', 'failed (access_token=OPAQUE-LEAK-123456)'],
    ['the plain key, unclosed', 'x "access_token": "OPAQUE-LEAK-123456 and more'],
  ])('%s', (_case, body) => {
    expect(redactBody(body)).not.toContain('OPAQUE-LEAK')
  })

  test('other fields are left as they were', () => {
    expect(redactBody('{"error":"x","message":"keep me" trailing')).toContain('keep me')
    expect(redactBody('error=invalid_request&error_description=keep')).toContain('error_description=keep')
  })
})
