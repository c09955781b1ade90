/**
 * The IMDS concurrency limiter over real sockets, in both shells (docs/protocol.md §5.1): IMDS
 * serves at most 5 managed-identity requests at once per VM and answers the rest 429, so each
 * shell keeps at most 5 in flight per process (node-io's `processImdsLimiter`, fetch-io's
 * `sharedImdsLimiter` per runtime), shared by every credential it builds. The emulator enforces
 * the limit and holds each answer open for a while, so a client that sent more at once would
 * show a higher peak and 429s on the emulator's own counts.
 *
 * The shells' own limiters also pace: no two IMDS requests start less than 56 ms apart. Answers
 * through them are therefore held longer than a few gaps, or no two would ever overlap and a
 * limit could not be seen; a caller's `createConcurrencyLimiter(max)` does not pace, so its
 * answers can be quick. The emulator's per-second budget is raised out of reach: the rate is
 * the core's limiter tests' concern, and how many requests are open at once is the property
 * under test here.
 *
 * The shells' limiters are separate objects, so the two shells run side by side, each against
 * an emulator of its own, while each shell's cases run one after another: they share that
 * shell's process limiter. `imdsLimiter` and `maxConcurrentRequests` are options of each
 * shell's own constructor (the core's credential has neither), so the credentials are built
 * here rather than through `credentialFor`.
 */
import { createConcurrencyLimiter } from '@azmi/core'
import { decodeJwtPayload, type Emulator, type ImdsLimits } from '@azmi/emulator'
import { ManagedIdentityCredential as FetchCredential, type FetchCredentialOptions } from '@azmi/fetch-io'
import { ManagedIdentityCredential as NodeCredential } from '@azmi/node-io'
import { emulatorPerFile, requestsTo, resourcesPerTest } from '@azmi/test-support'
import { describe, expect, test } from 'vitest'
import { type Shell, shells, type TokenGetter } from '../support/shells.js'

/** IMDS's documented concurrency, with the per-second window out of the way (see above). */
const limitsOf = (concurrent: number): ImdsLimits => ({ concurrent, requestsPerSecond: 100_000 })

const SCOPES = Array.from({ length: 100 }, (_, index) => `https://limit-${index}.example.com/.default`)
const resourceOf = (scope: string) => scope.replace(/\/\.default$/, '')

/**
 * How long IMDS holds each answer. Through a shell's paced limiter: `paced5` spans well over 4
 * start gaps (timers run late on a busy machine), so 5 requests can be open at once; `paced2`
 * spans 2, so a limit above 2 would show. Through a caller's unpaced limiter: `quick`.
 */
const HELD_MS = { paced5: 400, paced2: 120, quick: 10 } as const
/** 100 paced starts take at least 100 × 56 ms, past vitest's default 5 s for a test. */
const PACED = { timeout: 30_000 }

/** The options both shells' constructors read alike that these tests set. */
type LimiterOptions = Pick<FetchCredentialOptions, 'imdsLimiter' | 'maxConcurrentRequests' | 'retry'>

/**
 * `shell`'s own emulator and credentials, for the suite this is called in: its hooks reset that
 * emulator and close those credentials after each of the suite's tests only.
 */
const arrangeFor = (shell: Shell) => {
  const emulator = emulatorPerFile({ imdsLimits: limitsOf(5) })
  const resources = resourcesPerTest()
  return {
    /** The emulator enforcing `concurrent`, answering after `heldMs`, its counts and log cleared. */
    enforcing: (concurrent: number, heldMs: number): Emulator => {
      const emu = emulator()
      emu.setImdsLimits(limitsOf(concurrent))
      emu.setImdsLatency(heldMs)
      emu.resetStats('Imds')
      return emu
    },
    /** `count` IMDS credentials of `shell` in this process, each with `options`. */
    credentials: (count: number, options: LimiterOptions = {}): TokenGetter[] =>
      Array.from({ length: count }, () => {
        const settings = { env: emulator().env('Imds'), ...options }
        return shell === 'node-io'
          ? resources.closing(new NodeCredential(settings))
          : new FetchCredential(settings)
      }),
  }
}

/** Every scope asked for at once, spread over `spread` round-robin; resolves with the tokens. */
const coldTokens = (spread: ReadonlyArray<TokenGetter>) =>
  Promise.all(
    SCOPES.map(async (scope, index) => {
      const credential = spread[index % spread.length] as TokenGetter
      return { scope, token: (await credential.getToken(scope)).token }
    }),
  )

/** All 100 tokens, each for its scope; IMDS saw 100 requests, none answered 429. */
const expectAllServed = (emu: Emulator, tokens: ReadonlyArray<{ scope: string; token: string }>) => {
  for (const { scope, token } of tokens) expect(decodeJwtPayload(token)?.aud).toBe(resourceOf(scope))
  const asked = requestsTo(emu, 'Imds').map((request) => request.query.resource)
  expect([...asked].sort()).toEqual(SCOPES.map(resourceOf).sort())
  expect(emu.stats('Imds')).toMatchObject({ tokenRequests: 100, throttled: 0 })
}

describe.concurrent.each(shells)('%s', (shell) => {
  const { enforcing, credentials } = arrangeFor(shell)

  describe.sequential('at most 5 requests in flight to IMDS per process', () => {
    test('100 cold scopes through one credential: peak ≤ 5, no 429, 100 tokens', PACED, async () => {
      const emu = enforcing(5, HELD_MS.paced5)
      const tokens = await coldTokens(credentials(1))
      expectAllServed(emu, tokens)
      expect(emu.stats('Imds').peakConcurrent).toBeLessThanOrEqual(5)
      // the limiter was actually exercised: requests overlapped, up to the limit
      expect(emu.stats('Imds').peakConcurrent).toBe(5)
    })

    test('100 cold scopes through 10 credentials of the process share the one limiter', PACED, async () => {
      const emu = enforcing(5, HELD_MS.paced5)
      const tokens = await coldTokens(credentials(10))
      expectAllServed(emu, tokens)
      expect(emu.stats('Imds').peakConcurrent).toBeLessThanOrEqual(5)
    })

    test('control: a limiter that admits 100 at once meets the emulated IMDS limit', async () => {
      const emu = enforcing(5, HELD_MS.quick)
      const [credential] = credentials(1, {
        imdsLimiter: createConcurrencyLimiter(100),
        retry: { maxRetries: 0 },
      })
      const settled = await Promise.allSettled(SCOPES.map((scope) => credential?.getToken(scope)))
      expect(emu.stats('Imds').peakConcurrent).toBeGreaterThan(5)
      expect(emu.stats('Imds').throttled).toBeGreaterThan(0)
      expect(settled.some(({ status }) => status === 'rejected')).toBe(true)
    })
  })

  describe.sequential('a limit of the caller', () => {
    test('imdsLimiter: createConcurrencyLimiter(2), shared by 4 credentials: peak ≤ 2, no 429', async () => {
      const emu = enforcing(2, HELD_MS.quick)
      const imdsLimiter = createConcurrencyLimiter(2)
      const tokens = await coldTokens(credentials(4, { imdsLimiter }))
      expectAllServed(emu, tokens)
      expect(emu.stats('Imds').peakConcurrent).toBeLessThanOrEqual(2)
    })

    test('maxConcurrentRequests: 2 gives the process limiter for 2: peak ≤ 2, no 429', PACED, async () => {
      const emu = enforcing(2, HELD_MS.paced2)
      const tokens = await coldTokens(credentials(4, { maxConcurrentRequests: 2 }))
      expectAllServed(emu, tokens)
      expect(emu.stats('Imds').peakConcurrent).toBeLessThanOrEqual(2)
    })
  })
})
