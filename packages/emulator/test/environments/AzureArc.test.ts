import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { describe, expect, test } from 'vitest'
import { type Emulator, startEmulator } from '../../src/index.js'
import { keyedArcReply } from '../arcChallenge.js'
import { emulatorForFile } from '../emulatorForFile.js'
import { jsonBody, send } from '../httpClient.js'
import { expectIssuedToken } from '../tokenClaims.js'

const emulator = await emulatorForFile()

const resource = 'https://storage.azure.com'
const getToken = (headers: Record<string, string>, query = `api-version=2020-06-01&resource=${resource}`) =>
  send({ url: `${emulator.env('AzureArc').IDENTITY_ENDPOINT}?${query}`, headers })

/** The key file path a challenge names. */
const realmOf = (header: string | string[] | undefined): string => {
  const match = /^Basic realm=(.+)$/.exec(String(header))
  expect(match).not.toBeNull()
  return match?.[1] ?? ''
}

const challenge = async (emulatorToAsk: Emulator = emulator): Promise<string> => {
  const url = `${emulatorToAsk.env('AzureArc').IDENTITY_ENDPOINT}?api-version=2020-06-01&resource=${resource}`
  const reply = await send({ url, headers: { Metadata: 'true' } })
  expect(reply.status).toBe(401)
  return realmOf(reply.headers['www-authenticate'])
}

describe('AzureArc', () => {
  test('env names the endpoint and the IMDS endpoint', () => {
    expect(emulator.env('AzureArc')).toEqual({
      IDENTITY_ENDPOINT: `${emulator.url}/arc/metadata/identity/oauth2/token`,
      IMDS_ENDPOINT: `${emulator.url}/arc`,
    })
  })

  test('challenges with a fresh 0600 key file in the key directory', async () => {
    const realm = await challenge()
    expect(dirname(realm)).toBe(emulator.arcKeyDirectory)
    expect(realm).toMatch(/\/[0-9a-f]+\.key$/)
    expect(statSync(realm).mode & 0o777).toBe(0o600)
    expect(readFileSync(realm, 'utf8')).toMatch(/^[0-9a-f]{64}$/)
    expect(await challenge()).not.toBe(realm)
  })

  test('issues a token for the key, with string expiries, and deletes the key file', async () => {
    const realm = await challenge()
    const reply = await getToken({ Metadata: 'true', Authorization: `Basic ${readFileSync(realm, 'utf8')}` })
    expect(reply.status).toBe(200)
    const body = jsonBody(reply)
    expect(body).toMatchObject({ resource, token_type: 'Bearer' })
    expect(body.expires_in).toMatch(/^\d+$/)
    expect(body.expires_on).toMatch(/^\d+$/)
    expectIssuedToken(body, { emulator, who: 'system', audience: resource })
    expect(existsSync(realm)).toBe(false)
  })

  test('accepts a key once only', async () => {
    const realm = await challenge()
    const key = readFileSync(realm, 'utf8')
    expect((await getToken({ Metadata: 'true', Authorization: `Basic ${key}` })).status).toBe(200)
    const again = await getToken({ Metadata: 'true', Authorization: `Basic ${key}` })
    expect(again.status).toBe(401)
    expect(realmOf(again.headers['www-authenticate'])).not.toBe(realm)
  })

  test('answers a wrong key with a new challenge', async () => {
    const reply = await getToken({ Metadata: 'true', Authorization: 'Basic 0123456789abcdef' })
    expect(reply.status).toBe(401)
    expect(existsSync(realmOf(reply.headers['www-authenticate']))).toBe(true)
  })

  test('answers 400 without the Metadata header', async () => {
    expect((await getToken({})).status).toBe(400)
  })

  test('rejects an identity it does not have on the keyed request, after accepting the challenge', async () => {
    const query = `api-version=2020-06-01&resource=${resource}&client_id=00000000-0000-0000-0000-000000000000`
    const reply = await keyedArcReply(`${emulator.env('AzureArc').IDENTITY_ENDPOINT}?${query}`)
    expect(reply.status).toBe(400)
    expect(jsonBody(reply)).toEqual({ error: 'invalid_request', error_description: 'Identity not found' })
  })

  test('writes keys where it is told to, and deletes unredeemed keys on close', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'azmi-arc-test-'))
    try {
      const own = await startEmulator({ arcKeyDirectory: directory })
      expect(own.arcKeyDirectory).toBe(directory)
      const realm = await challenge(own)
      expect(dirname(realm)).toBe(directory)
      await own.close()
      expect(existsSync(realm)).toBe(false)
      expect(existsSync(directory)).toBe(true)
    } finally {
      rmSync(directory, { recursive: true, force: true })
    }
  })
})
