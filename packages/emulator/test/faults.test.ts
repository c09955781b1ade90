import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { type Emulator, type Fault, startEmulator } from '../src/index.js'
import { decodeJwtPayload } from '../src/tokens.js'
import { jsonBody, send } from './httpClient.js'
import { headerValue, rawGet } from './rawExchange.js'

let emulator: Emulator
let arcDirectory: string
beforeAll(async () => {
  arcDirectory = mkdtempSync(join(tmpdir(), 'azmi-fault-test-'))
  emulator = await startEmulator({ arcKeyDirectory: arcDirectory })
})
afterAll(async () => {
  await emulator.close()
  rmSync(arcDirectory, { recursive: true, force: true })
})

const imdsPath =
  '/imds/metadata/identity/oauth2/token?api-version=2018-02-01&resource=https://storage.azure.com'
const imdsUrl = () => `${emulator.url}${imdsPath}`
const getImds = (timeoutMs?: number) =>
  send({ url: imdsUrl(), headers: { Metadata: 'true' }, ...(timeoutMs === undefined ? {} : { timeoutMs }) })
const port = () => Number(new URL(emulator.url).port)

/** Scripts one fault for IMDS. */
const scriptImds = (...faults: Fault[]) => emulator.script('Imds', faults)

describe('status faults', () => {
  test('answer with the status and headers given, then behave normally', async () => {
    scriptImds({ status: 429, headers: { 'retry-after': '2' } }, { status: 410 })
    const first = await getImds()
    expect(first.status).toBe(429)
    expect(first.headers['retry-after']).toBe('2')
    expect(jsonBody(first)).toMatchObject({ error: 'emulated_fault' })
    expect((await getImds()).status).toBe(410)
    expect((await getImds()).status).toBe(200)
  })

  test('send the body given', async () => {
    scriptImds({ status: 503, body: 'upstream gone', headers: { 'content-type': 'text/plain' } })
    const reply = await getImds()
    expect(reply).toMatchObject({ status: 503, body: 'upstream gone' })
    expect(reply.headers['content-type']).toBe('text/plain')
  })
})

describe('timing faults', () => {
  test('delayMs answers normally, later', async () => {
    scriptImds({ delayMs: 30 })
    const reply = await getImds()
    expect(reply.status).toBe(200)
    expect(jsonBody(reply).access_token).toBeTypeOf('string')
  })

  test('hang never answers; the client must time out, and the next request is normal', async () => {
    scriptImds({ hang: true })
    await expect(getImds(150)).rejects.toMatchObject({ code: 'TEST_TIMEOUT' })
    expect((await getImds()).status).toBe(200)
  })

  test('trickle sends the normal, complete token reply', async () => {
    scriptImds({ trickle: { chunks: 4, intervalMs: 5 } })
    const reply = await getImds()
    expect(reply.status).toBe(200)
    expect(jsonBody(reply).access_token).toBeTypeOf('string')
  })
})

describe('drop faults', () => {
  test('before-headers destroys the socket before any byte', async () => {
    scriptImds({ drop: 'before-headers' })
    const raw = await rawGet(port(), imdsPath, { Metadata: 'true' })
    expect(raw.head).toBe('')
    scriptImds({ drop: 'before-headers' })
    await expect(getImds()).rejects.toMatchObject({ code: 'ECONNRESET' })
  })

  test('mid-body announces the whole body, sends half of it and destroys the socket', async () => {
    scriptImds({ drop: 'mid-body' })
    const raw = await rawGet(port(), imdsPath, { Metadata: 'true' })
    expect(raw.head).toMatch(/^HTTP\/1\.1 200 /)
    const announced = Number(headerValue(raw.head, 'content-length'))
    expect(announced).toBeGreaterThan(100)
    expect(raw.body.length).toBe(Math.floor(announced / 2))
    scriptImds({ drop: 'mid-body' })
    await expect(getImds()).rejects.toThrow()
  })
})

describe('body faults', () => {
  test('oversizedBodyBytes streams a 200 of exactly that many bytes without content-length', async () => {
    scriptImds({ oversizedBodyBytes: 300_000 })
    const reply = await getImds()
    expect(reply.status).toBe(200)
    expect(reply.headers['content-length']).toBeUndefined()
    expect(Buffer.byteLength(reply.body)).toBe(300_000)
    expect(reply.body.startsWith('{"access_token":"AAAA')).toBe(true)
  })

  test('malformed not-json is a 200 declared as JSON whose body is not JSON', async () => {
    scriptImds({ malformed: 'not-json' })
    const reply = await getImds()
    expect(reply.status).toBe(200)
    expect(reply.headers['content-type']).toMatch(/^application\/json/)
    expect(() => JSON.parse(reply.body)).toThrow(SyntaxError)
  })

  test('malformed no-access-token is the token reply without access_token', async () => {
    scriptImds({ malformed: 'no-access-token' })
    const reply = await getImds()
    expect(reply.status).toBe(200)
    const body = jsonBody(reply)
    expect(body).not.toHaveProperty('access_token')
    expect(body).toMatchObject({ token_type: 'Bearer', expires_on: expect.stringMatching(/^\d+$/) })
  })

  test('malformed wrong-content-type is the token reply labelled text/html', async () => {
    scriptImds({ malformed: 'wrong-content-type' })
    const reply = await getImds()
    expect(reply.headers['content-type']).toMatch(/^text\/html/)
    expect(jsonBody(reply).access_token).toBeTypeOf('string')
  })

  test('malformed expired is a token reply whose expiry and exp are in the past', async () => {
    scriptImds({ malformed: 'expired' })
    const body = jsonBody(await getImds())
    const now = Date.now() / 1000
    expect(Number(body.expires_on)).toBeLessThan(now)
    expect(Number(body.expires_in)).toBeLessThan(0)
    expect(decodeJwtPayload(String(body.access_token))?.exp).toBe(Number(body.expires_on))
  })

  test('redirectTo answers 302 with the location', async () => {
    scriptImds({ redirectTo: 'http://127.0.0.1:9/elsewhere' })
    const reply = await getImds()
    expect(reply.status).toBe(302)
    expect(reply.headers.location).toBe('http://127.0.0.1:9/elsewhere')
  })
})

describe('Azure Arc faults', () => {
  const arcGet = (headers: Record<string, string>) =>
    send({ url: `${emulator.env('AzureArc').IDENTITY_ENDPOINT}?api-version=2020-06-01&resource=x`, headers })

  test('arcRealm challenges with the given realm and writes no key file', async () => {
    const before = readdirSync(arcDirectory)
    emulator.script('AzureArc', [{ arcRealm: '/etc/passwd' }])
    const reply = await arcGet({ Metadata: 'true' })
    expect(reply.status).toBe(401)
    expect(reply.headers['www-authenticate']).toBe('Basic realm=/etc/passwd')
    expect(readdirSync(arcDirectory)).toEqual(before)
  })

  test('a status fault meets the challenge request, or the keyed one after a pass', async () => {
    emulator.script('AzureArc', [{ status: 500 }, { delayMs: 0 }, { status: 503 }])
    expect((await arcGet({ Metadata: 'true' })).status).toBe(500)
    const challenge = await arcGet({ Metadata: 'true' })
    const realm = String(challenge.headers['www-authenticate']).replace('Basic realm=', '')
    const keyed = await arcGet({ Metadata: 'true', Authorization: `Basic ${readFileSync(realm, 'utf8')}` })
    expect(keyed.status).toBe(503)
  })

  test('arcRealm cannot be scripted for another environment', () => {
    expect(() => emulator.script('Imds', [{ arcRealm: '/x' }])).toThrow(RangeError)
  })
})

describe('scripts', () => {
  test('are per environment and consumed only by token requests', async () => {
    scriptImds({ status: 500 })
    const appService = emulator.env('AppService')
    const other = await send({
      url: `${appService.IDENTITY_ENDPOINT}?api-version=2019-08-01&resource=x`,
      headers: { 'X-IDENTITY-HEADER': appService.IDENTITY_HEADER ?? '' },
    })
    expect(other.status).toBe(200)
    expect((await send({ url: `${emulator.url}/imds/elsewhere` })).status).toBe(404)
    expect((await getImds()).status).toBe(500)
  })

  test('replace the queue instead of appending', async () => {
    scriptImds({ status: 500 }, { status: 501 })
    scriptImds({ status: 502 })
    expect((await getImds()).status).toBe(502)
    expect((await getImds()).status).toBe(200)
  })

  test.each<[string, Fault]>([
    ['a negative delay', { delayMs: -1 }],
    ['a fractional status', { status: 200.5 }],
    ['zero trickle chunks', { trickle: { chunks: 0, intervalMs: 1 } }],
    ['an empty oversized body', { oversizedBodyBytes: 0 }],
  ])('reject %s', (_case, fault) => {
    expect(() => scriptImds(fault)).toThrow(RangeError)
  })
})
