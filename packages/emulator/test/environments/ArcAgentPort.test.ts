import { createServer } from 'node:net'
import { describe, expect, test } from 'vitest'
import { type Emulator, startEmulator } from '../../src/index.js'
import { keyedArcReply } from '../arcChallenge.js'
import { jsonBody, send } from '../httpClient.js'

/** Both legs of the Arc challenge against `base`'s agent paths; resolves with the keyed reply. */
const tokenFromAgent = (base: string) =>
  keyedArcReply(
    `${base}/metadata/identity/oauth2/token?api-version=2020-06-01&resource=https://management.azure.com`,
  )

const withEmulator = async (port: number, run: (emulator: Emulator) => Promise<void>) => {
  const emulator = await startEmulator({ arcAgentPort: port })
  try {
    await run(emulator)
  } finally {
    await emulator.close()
  }
}

describe('arcAgentPort', () => {
  test('serves Azure Arc at the agent’s own paths, recorded as AzureArc via the agent port', async () => {
    await withEmulator(0, async (emulator) => {
      expect(emulator.arcAgentUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
      const reply = await tokenFromAgent(emulator.arcAgentUrl ?? '')
      expect(reply.status).toBe(200)
      expect(jsonBody(reply).access_token).toBeTypeOf('string')
      expect(emulator.requests.map(({ environment, via, path }) => ({ environment, via, path }))).toEqual([
        { environment: 'AzureArc', via: 'arcAgent', path: '/metadata/identity/oauth2/token' },
        { environment: 'AzureArc', via: 'arcAgent', path: '/metadata/identity/oauth2/token' },
      ])
      // The usual variables keep pointing at the shared listener.
      expect(emulator.env('AzureArc').IDENTITY_ENDPOINT).toBe(
        `${emulator.url}/arc/metadata/identity/oauth2/token`,
      )
    })
  })

  test('faults scripted for AzureArc apply on the agent port too', async () => {
    await withEmulator(0, async (emulator) => {
      emulator.script('AzureArc', [{ status: 500 }])
      const url = `${emulator.arcAgentUrl}/metadata/identity/oauth2/token?api-version=2020-06-01&resource=x`
      expect((await send({ url, headers: { Metadata: 'true' } })).status).toBe(500)
    })
  })

  test('a taken port fails start-up clearly, naming the port', async () => {
    const squatter = createServer()
    await new Promise<void>((resolve) => squatter.listen(0, '127.0.0.1', resolve))
    const address = squatter.address()
    const port = typeof address === 'object' && address !== null ? address.port : 0
    try {
      await expect(startEmulator({ arcAgentPort: port })).rejects.toMatchObject({
        code: 'EADDRINUSE',
        message: expect.stringContaining(`127.0.0.1:${port}`),
      })
    } finally {
      await new Promise((resolve) => squatter.close(resolve))
    }
  })

  test.each([-1, 65_536, 1.5])('rejects port %s with a RangeError', async (port) => {
    await expect(startEmulator({ arcAgentPort: port })).rejects.toThrow(RangeError)
  })

  test('without the option there is no agent listener', async () => {
    const emulator = await startEmulator()
    try {
      expect(emulator.arcAgentUrl).toBeUndefined()
    } finally {
      await emulator.close()
    }
  })
})
