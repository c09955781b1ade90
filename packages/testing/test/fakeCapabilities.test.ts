/** The fake world: scripted endpoint, files, virtual clock and the optional capabilities. */
import { createHash } from 'node:crypto'
import { createManagedIdentityClient, fileFailure, transportFailure } from '@azmi/core'
import fc from 'fast-check'
import * as E from 'fp-ts/lib/Either.js'
import { describe, expect, test } from 'vitest'
import {
  controllableSignal,
  countingUuid,
  DEFAULT_START,
  fakeCapabilities,
  jsonResponse,
  SAMPLE_ENVIRONMENTS,
  SAMPLE_FILES,
  sha256Hex,
  tokenResponse,
} from '../src/index.js'

const SCOPE = 'https://vault.azure.net/.default'
const request = { method: 'GET', url: 'http://127.0.0.1:1/x', headers: {}, timeoutMs: 1000 } as const

describe('the scripted endpoint', () => {
  test('a list is answered in order, then every further request fails with connect; each request is recorded', async () => {
    const world = fakeCapabilities({ endpoint: [jsonResponse(503, {}), tokenResponse('t')] })
    const { send } = world.capabilities
    expect(await send(request, undefined)).toEqual(E.right(jsonResponse(503, {})))
    expect(await send(request, undefined)).toEqual(E.right(tokenResponse('t')))
    expect(await send(request, undefined)).toMatchObject({ left: { kind: 'connect' } })
    expect(world.sent).toHaveLength(3)
  })

  test('a function answers each request with its index; a failure it returns is a Left', async () => {
    const world = fakeCapabilities({ endpoint: (_r, index) => transportFailure('reset', `#${index}`) })
    expect(await world.capabilities.send(request, undefined)).toEqual(E.left(transportFailure('reset', '#0')))
  })

  test('an abort ends a pending reply with `aborted`', async () => {
    const { signal, abort } = controllableSignal()
    const world = fakeCapabilities({ endpoint: () => new Promise(() => undefined) })
    const pending = world.capabilities.send(request, signal)
    abort()
    expect(await pending).toMatchObject({ left: { kind: 'aborted' } })
  })
})

describe('the virtual clock', () => {
  test('IMDS retries run instantly: the clock moves by the sleeps alone', async () => {
    const world = fakeCapabilities({
      endpoint: [jsonResponse(503, {}), jsonResponse(503, {}), tokenResponse()],
    })
    const client = createManagedIdentityClient({ env: {} }, world.capabilities)
    expect(E.isRight(await client.getToken(SCOPE))).toBe(true)
    expect(world.sent).toHaveLength(3)
    expect(world.sleeps).toHaveLength(2)
    expect(world.now - DEFAULT_START).toBe(world.sleeps.reduce((sum, ms) => sum + ms, 0))
  })

  test('latency moves the clock per send; `now` and `advance` move it between calls', async () => {
    const world = fakeCapabilities({ latencyMs: 250, startAt: 0 })
    await world.capabilities.send(request, undefined)
    world.advance(1000)
    world.now += 5
    expect(world.capabilities.now()).toBe(1255)
  })

  test('the watchdog timer never fires; `until-aborted` sleeps wait for their signal', async () => {
    const world = fakeCapabilities({ sleep: 'until-aborted' })
    const fired = await Promise.race([
      world.capabilities.timer?.(0, undefined).then(() => 'fired'),
      new Promise((resolve) => setTimeout(() => resolve('still waiting'), 20)),
    ])
    expect(fired).toBe('still waiting')
    const { signal, abort } = controllableSignal()
    const sleeping = world.capabilities.sleep(10, signal)
    abort()
    await sleeping
    expect(world.now).toBe(DEFAULT_START)
  })
})

describe('files', () => {
  test('listed files are read under the size rule, in UTF-8 bytes; others are not-found; failures pass through', async () => {
    const world = fakeCapabilities({ files: { '/a': 'é'.repeat(3), '/b': fileFailure('permission', 'no') } })
    const readFile = world.capabilities.readFile
    if (readFile === undefined) throw new Error('readFile is missing')
    expect(await readFile('/a', 6)).toEqual(E.right('ééé'))
    expect(await readFile('/a', 5)).toMatchObject({ left: { kind: 'too-large' } })
    expect(await readFile('/b', 10)).toMatchObject({ left: { kind: 'permission' } })
    expect(await readFile('/c', 10)).toMatchObject({ left: { kind: 'not-found' } })
    expect(world.reads).toEqual(['/a', '/a', '/b', '/c'])
  })

  test('without readFile, a source that reads files is unavailable, and Arc reads its key from the world', async () => {
    const bare = fakeCapabilities({ readFile: false })
    expect(bare.capabilities.readFile).toBeUndefined()
    const workload = createManagedIdentityClient(
      { env: SAMPLE_ENVIRONMENTS.WorkloadIdentity },
      bare.capabilities,
    )
    expect(await workload.getToken(SCOPE)).toMatchObject({ left: { code: 'unsupported_runtime' } })
    const world = fakeCapabilities({
      files: SAMPLE_FILES,
      endpoint: [
        jsonResponse(401, {}, { 'www-authenticate': 'Basic realm=/var/opt/azcmagent/tokens/k.key' }),
        tokenResponse(),
      ],
    })
    const arc = createManagedIdentityClient({ env: SAMPLE_ENVIRONMENTS.AzureArc }, world.capabilities)
    expect(E.isRight(await arc.getToken(SCOPE))).toBe(true)
    expect(world.reads).toEqual(['/var/opt/azcmagent/tokens/k.key'])
  })
})

describe('the optional capabilities', () => {
  test('each is provided by default and can be removed or replaced', () => {
    const world = fakeCapabilities()
    expect(world.capabilities.uuid?.()).toBe('00000000-0000-4000-8000-000000000001')
    expect(world.capabilities.imdsLimiter).toBeDefined()
    const bare = fakeCapabilities({ uuid: false, sha256: false, imdsLimiter: false })
    expect([bare.capabilities.uuid, bare.capabilities.sha256, bare.capabilities.imdsLimiter]).toEqual([
      undefined,
      undefined,
      undefined,
    ])
    const ids = countingUuid()
    expect([ids(), ids()]).toEqual([
      '00000000-0000-4000-8000-000000000001',
      '00000000-0000-4000-8000-000000000002',
    ])
  })

  test('sha256 is the real digest, as Node computes it, for any text', async () => {
    expect(sha256Hex('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855')
    expect(sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad')
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (text) => {
        expect(sha256Hex(text)).toBe(createHash('sha256').update(text, 'utf8').digest('hex'))
      }),
      { numRuns: 300 },
    )
    expect(await fakeCapabilities().capabilities.sha256?.('abc')).toBe(sha256Hex('abc'))
  })
})
