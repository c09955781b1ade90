import { existsSync } from 'node:fs'
import { describe, expect, test } from 'vitest'
import type { Outage } from '../src/index.js'
import { createOutages } from '../src/outages.js'
import { tokenClient } from './clientRequests.js'
import { emulatorForFile } from './emulatorForFile.js'
import { jsonBody, send } from './httpClient.js'

const emulator = await emulatorForFile()

const imds = tokenClient(emulator, 'Imds')
const getImds = () => imds('api-version=2018-02-01&resource=x')
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

describe('outages over sockets', () => {
  test('every token request gets the status and headers until endOutage, then normal answers', async () => {
    emulator.resetStats('Imds')
    emulator.outage('Imds', { status: 410, durationMs: 600_000, headers: { 'retry-after': '0' } })
    for (let attempt = 0; attempt < 3; attempt += 1) {
      const reply = await getImds()
      expect(reply.status).toBe(410)
      expect(reply.headers['retry-after']).toBe('0')
      expect(jsonBody(reply)).toMatchObject({ error: 'emulated_outage' })
    }
    emulator.endOutage('Imds')
    expect((await getImds()).status).toBe(200)
    expect(emulator.stats('Imds')).toMatchObject({ tokenRequests: 4, outageReplies: 3 })
  })

  test('ends by itself once durationMs has passed', async () => {
    emulator.outage('Imds', { status: 429, durationMs: 150 })
    expect((await getImds()).status).toBe(429)
    await sleep(200)
    expect((await getImds()).status).toBe(200)
  })

  test('scripted faults take precedence; the outage answers once the script is used up', async () => {
    emulator.outage('Imds', { status: 429, durationMs: 600_000, body: 'slow down' })
    emulator.script('Imds', [{ status: 503 }, { delayMs: 0 }])
    expect((await getImds()).status).toBe(503)
    expect((await getImds()).status).toBe(200)
    expect(await getImds()).toMatchObject({ status: 429, body: 'slow down' })
    emulator.endOutage('Imds')
  })

  test('applies to token requests only, and to every leg of the Arc challenge', async () => {
    emulator.outage('AzureArc', { status: 500, durationMs: 600_000 })
    const arc = emulator.env('AzureArc')
    expect(
      (
        await send({
          url: `${arc.IDENTITY_ENDPOINT}?api-version=2020-06-01&resource=x`,
          headers: { Metadata: 'true' },
        })
      ).status,
    ).toBe(500)
    expect((await send({ url: `${arc.IMDS_ENDPOINT}/elsewhere` })).status).toBe(404)
    emulator.endOutage('AzureArc')
    const challenge = await send({
      url: `${arc.IDENTITY_ENDPOINT}?api-version=2020-06-01&resource=x`,
      headers: { Metadata: 'true' },
    })
    expect(challenge.status).toBe(401)
    expect(existsSync(String(challenge.headers['www-authenticate']).replace('Basic realm=', ''))).toBe(true)
  })

  test.each<[string, Outage]>([
    ['a status below 100', { status: 99, durationMs: 10 }],
    ['a fractional status', { status: 410.5, durationMs: 10 }],
    ['a zero duration', { status: 410, durationMs: 0 }],
    ['an infinite duration', { status: 410, durationMs: Number.POSITIVE_INFINITY }],
  ])('rejects %s with a RangeError', (_case, outage) => {
    expect(() => emulator.outage('Imds', outage)).toThrow(RangeError)
  })

  test('rejects an environment that does not exist', () => {
    expect(() => emulator.outage('Nowhere' as never, { status: 500, durationMs: 10 })).toThrow(RangeError)
  })
})

describe('outage clock', () => {
  const clockAt = (start: number) => {
    const clock = { now: start }
    return { clock, outages: createOutages(() => clock.now) }
  }

  test("from 'now' counts from the call, whether or not requests come", () => {
    const { clock, outages } = clockAt(1_000)
    outages.start('Imds', { status: 410, durationMs: 70_000 })
    clock.now += 69_999
    expect(outages.meet('Imds')?.status).toBe(410)
    clock.now += 1
    expect(outages.meet('Imds')).toBeUndefined()
    expect(outages.meet('Imds')).toBeUndefined()
  })

  test("from 'first-request' counts from the first request that meets it", () => {
    const { clock, outages } = clockAt(0)
    outages.start('Imds', { status: 410, durationMs: 70_000, from: 'first-request' })
    clock.now = 500_000
    expect(outages.meet('Imds')?.status).toBe(410)
    clock.now += 69_999
    expect(outages.meet('Imds')?.status).toBe(410)
    clock.now += 1
    expect(outages.meet('Imds')).toBeUndefined()
  })

  test('a new outage replaces the running one; other environments are untouched', () => {
    const { outages } = clockAt(0)
    outages.start('Imds', { status: 410, durationMs: 10 })
    outages.start('Imds', { status: 429, durationMs: 10, headers: { 'retry-after': '5' } })
    expect(outages.meet('Imds')).toMatchObject({ status: 429, headers: { 'retry-after': '5' } })
    expect(outages.meet('AppService')).toBeUndefined()
  })
})
