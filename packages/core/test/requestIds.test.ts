/**
 * Request ids (docs/protocol.md §1.5): every request carries a version 4 UUID, from the
 * runtime's `uuid` when it gives one that works, else drawn from `random`.
 */
import fc from 'fast-check'
import * as E from 'fp-ts/lib/Either.js'
import { expect, test } from 'vitest'
import {
  type Capabilities,
  planToken,
  REQUEST_ID_HEADER,
  runPlan,
  selectSource,
  uuidFromRandom,
} from '../src/index.js'
import { SOURCE_ENVIRONMENTS } from './arbitraries.js'
import { fakeWorld } from './fakes.js'

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/

/** The id the one request of an App Service token call was sent with, over `capabilities`. */
const idSentWith = async (capabilities: (world: Capabilities) => Capabilities) => {
  const world = fakeWorld({ uuid: false })
  const plan = E.flatMap((source: Parameters<typeof planToken>[0]) =>
    planToken(source, 'https://vault.azure.net/.default', { probe: false, platform: { os: 'linux' } }),
  )(selectSource(SOURCE_ENVIRONMENTS.AppService))
  if (E.isLeft(plan)) throw new Error(plan.left.message)
  await runPlan(plan.right, {
    capabilities: capabilities(world.capabilities),
    source: 'AppService',
    signal: undefined,
    deadlineMs: 120_000,
    secrets: [],
    files: new Map(),
  })
  expect(world.sent).toHaveLength(1)
  return world.sent[0]?.headers[REQUEST_ID_HEADER]
}

test('uuidFromRandom: a version 4 UUID for any draws in [0, 1)', () => {
  const draw = fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true })
  fc.assert(
    fc.property(fc.array(draw, { minLength: 1, maxLength: 40 }), (draws) => {
      let next = 0
      const id = uuidFromRandom(() => draws[next++ % draws.length] as number)
      expect(id).toMatch(UUID_V4)
    }),
  )
})

test("the runtime's uuid is sent as it is", async () => {
  expect(await idSentWith((world) => ({ ...world, uuid: () => 'from-the-runtime' }))).toBe('from-the-runtime')
})

test.each([
  ['no uuid', undefined],
  [
    'a uuid that throws',
    () => {
      throw new Error('no entropy')
    },
  ],
  ['a uuid that returns an empty string', () => ''],
])('%s: an id drawn from random', async (_, uuid) => {
  let draws = 0
  const random = () => (draws++ % 16) / 16
  const id = await idSentWith((world) => ({ ...world, random, ...(uuid === undefined ? {} : { uuid }) }))
  expect(id).toMatch(UUID_V4)
  expect(draws).toBeGreaterThanOrEqual(31)
})
