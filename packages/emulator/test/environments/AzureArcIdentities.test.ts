import { describe, expect, test } from 'vitest'
import { type Emulator, startEmulator } from '../../src/index.js'
import { keyedArcReply } from '../arcChallenge.js'
import { emulatorForFile } from '../emulatorForFile.js'
import { expectIssuedToken, okBody } from '../tokenClaims.js'

const emulator = await emulatorForFile()

const resource = 'https://vault.azure.net'
const selectors = [
  ['client_id', 'clientId'],
  ['object_id', 'objectId'],
  ['msi_res_id', 'resourceId'],
] as const

/** Both legs of the challenge with `query`; resolves with the JSON of the keyed reply. */
const tokenWith = (arc: Emulator, query: string) =>
  okBody(
    keyedArcReply(
      `${arc.env('AzureArc').IDENTITY_ENDPOINT}?api-version=2020-06-01&resource=${resource}${query}`,
    ),
  )

const expectIssuedFor = (body: Record<string, unknown>, who: 'user' | 'system') =>
  expectIssuedToken(body, { emulator, who, audience: resource })

describe('AzureArc user-assigned identities (current agent)', () => {
  test.each(selectors)(
    '%s on both legs gets that identity, echoed under the same name',
    async (name, field) => {
      const requested = emulator.identities.user[field]
      const body = await tokenWith(emulator, `&${name}=${encodeURIComponent(requested.toUpperCase())}`)
      expectIssuedFor(body, 'user')
      expect(body[name]).toBe(requested)
      // Only the selector is echoed: no other identity field appears.
      for (const [other] of selectors.filter(([each]) => each !== name))
        expect(body).not.toHaveProperty(other)
      const legs = emulator.requests.filter((request) => request.environment === 'AzureArc').slice(-2)
      expect(legs.map((leg) => leg.query[name])).toEqual([requested.toUpperCase(), requested.toUpperCase()])
    },
  )

  test('a system-assigned request gets the system identity and no echo', async () => {
    const body = await tokenWith(emulator, '')
    expectIssuedFor(body, 'system')
    for (const [name] of selectors) expect(body).not.toHaveProperty(name)
  })

  test('mi_res_id is ignored, as the agent ignores it: the system identity, no echo', async () => {
    const body = await tokenWith(
      emulator,
      `&mi_res_id=${encodeURIComponent(emulator.identities.user.resourceId)}`,
    )
    expectIssuedFor(body, 'system')
    expect(body).not.toHaveProperty('mi_res_id')
    expect(body).not.toHaveProperty('msi_res_id')
  })

  test.each(selectors)(
    'a lie on the keyed request issues and echoes the other identity for %s',
    async (name, field) => {
      emulator.script('AzureArc', [{ delayMs: 0 }, { lie: 'identity' }])
      const body = await tokenWith(
        emulator,
        `&${name}=${encodeURIComponent(emulator.identities.user[field])}`,
      )
      expectIssuedFor(body, 'system')
      expect(body[name]).toBe(emulator.identities.system[field])
    },
  )
})

describe('AzureArc legacy agent', () => {
  test.each(selectors)('ignores %s: the system identity, no echo fields', async (name, field) => {
    const legacy = await startEmulator({ arcAgent: 'legacy' })
    try {
      const keyed = await tokenWith(legacy, `&${name}=${legacy.identities.user[field]}`)
      expectIssuedToken(keyed, { emulator: legacy, who: 'system', audience: resource })
      for (const [each] of selectors) expect(keyed).not.toHaveProperty(each)
    } finally {
      await legacy.close()
    }
  })

  test('setArcAgent switches a running emulator both ways', async () => {
    const query = `&client_id=${emulator.identities.user.clientId}`
    emulator.setArcAgent('legacy')
    try {
      expect(await tokenWith(emulator, query)).not.toHaveProperty('client_id')
    } finally {
      emulator.setArcAgent('current')
    }
    expect((await tokenWith(emulator, query)).client_id).toBe(emulator.identities.user.clientId)
  })

  test('an unknown mode is a RangeError', async () => {
    expect(() => emulator.setArcAgent('old' as never)).toThrow(RangeError)
    await expect(startEmulator({ arcAgent: 'new' as never })).rejects.toThrow(RangeError)
  })
})
