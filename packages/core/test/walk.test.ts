/**
 * The walker and the interpreter are two readings of the same plans: over arbitrary replies
 * they agree step for step, and every plan ends within the request bound.
 */
import fc from 'fast-check'
import * as E from 'fp-ts/lib/Either.js'
import { expect, test } from 'vitest'
import {
  type Plan,
  planToken,
  runPlan,
  SOURCE_NAMES,
  type SourceName,
  selectSource,
  walkPlan,
} from '../src/index.js'
import { replyArbitrary, SOURCE_ENVIRONMENTS, SOURCE_FILES } from './arbitraries.js'
import { fakeWorld } from './fakes.js'

/** At most this many requests per `getToken`, whatever the endpoint answers (docs/protocol.md §1.5). */
const REQUEST_BOUND = 12

const planFor = (name: SourceName, probe: boolean): Plan<unknown> => {
  const plan = E.flatMap((source: Parameters<typeof planToken>[0]) =>
    planToken(source, 'https://vault.azure.net/.default', { probe, platform: { os: 'linux' } }),
  )(selectSource(SOURCE_ENVIRONMENTS[name]))
  if (E.isLeft(plan)) throw new Error(plan.left.message)
  return plan.right
}

const scenario = fc.record({
  name: fc.constantFrom(...SOURCE_NAMES),
  probe: fc.boolean(),
  replies: fc.array(replyArbitrary, { maxLength: 20 }),
  random: fc.double({ min: 0, max: 0.999, noNaN: true }),
})

test('walkPlan and runPlan agree on the requests, the waits and the ending', async () => {
  await fc.assert(
    fc.asyncProperty(scenario, async ({ name, probe, replies, random }) => {
      const script = { replies, files: SOURCE_FILES, random, latencyMs: 7, startAt: 1_700_000_000_000 }
      const walk = walkPlan(planFor(name, probe), script)
      const world = fakeWorld({
        startAt: script.startAt,
        latencyMs: 7,
        random: () => random,
        files: SOURCE_FILES,
        respond: (_request, index) => {
          const reply = replies[index]
          return reply === undefined
            ? { _tag: 'TransportFailure', kind: 'connect', detail: 'the script has no more replies' }
            : E.isLeft(reply)
              ? reply.left
              : reply.right
        },
      })
      let ids = 0
      const uuid = () => `request-${++ids}`
      const report = await runPlan(planFor(name, probe), {
        capabilities: { ...world.capabilities, uuid },
        source: name,
        signal: undefined,
        deadlineMs: 120_000,
        secrets: [],
        files: new Map(),
      })
      const walkedSends = walk.steps.flatMap((step) => (step._tag === 'Send' ? [step.request] : []))
      const walkedWaits = walk.steps.flatMap((step) => (step._tag === 'Wait' ? [step.ms] : []))
      expect(world.sent).toEqual(walkedSends)
      expect(world.sleeps).toEqual(walkedWaits)
      expect(report.requests).toBe(walkedSends.length)
      expect(JSON.stringify(report.result)).toBe(JSON.stringify(walk.result))
    }),
    { numRuns: 300 },
  )
})

test('every plan ends within the request bound and the deadline, whatever the endpoint answers', () => {
  fc.assert(
    fc.property(
      scenario,
      fc.integer({ min: 1, max: 200_000 }),
      ({ name, probe, replies, random }, deadlineMs) => {
        const walk = walkPlan(planFor(name, probe), {
          replies,
          files: SOURCE_FILES,
          random,
          latencyMs: 3,
          deadlineMs,
        })
        expect(walk.steps.filter((step) => step._tag === 'Send').length).toBeLessThanOrEqual(REQUEST_BOUND)
        expect(walk.elapsedMs).toBeLessThanOrEqual(deadlineMs)
      },
    ),
    { numRuns: 1000 },
  )
})
