/** Both legs of the Azure Arc key-file challenge, for tests that want the keyed reply. */
import { readFileSync } from 'node:fs'
import { expect } from 'vitest'
import { send, type TestReply } from './httpClient.js'

/** Asks `url` without a key, reads the key file the 401 names, and asks again with it. */
export const keyedArcReply = async (url: string): Promise<TestReply> => {
  const challenge = await send({ url, headers: { Metadata: 'true' } })
  expect(challenge.status).toBe(401)
  const realm = String(challenge.headers['www-authenticate']).replace(/^Basic realm=/, '')
  return send({ url, headers: { Metadata: 'true', Authorization: `Basic ${readFileSync(realm, 'utf8')}` } })
}
