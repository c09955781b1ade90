/**
 * Delivery on a real socket with hand-driven timers: the test decides when each delay or
 * trickle interval ends, so what the client has seen at each step is certain, not a race.
 */
import { createServer, request, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import fc from 'fast-check'
import { afterEach, describe, expect, test } from 'vitest'
import { deliver, splitBody } from '../src/deliver.js'
import type { Delivery } from '../src/faultPlan.js'
import { jsonReply } from '../src/reply.js'
import type { Timers } from '../src/timers.js'

/** Timers that run only when the test says so. */
const handDrivenTimers = () => {
  const queue: Array<() => void> = []
  const timers: Timers = {
    after: (_ms, callback) => void queue.push(callback),
    clearAll: () => void queue.splice(0),
  }
  return { timers, pending: () => queue.length, runNext: () => queue.shift()?.() }
}

let server: Server | undefined
afterEach(() => {
  server?.closeAllConnections()
  server?.close()
})

/** Serves every request with `delivery` and returns the port. */
const serve = async (delivery: Delivery, timers: Timers): Promise<number> => {
  server = createServer((_request, response) => deliver(response, delivery, timers))
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve))
  return (server.address() as AddressInfo).port
}

/** A client that hands over each body chunk as it arrives. */
const openReply = (port: number) => {
  const chunks: Buffer[] = []
  const waiting: Array<() => void> = []
  let ended = false
  let headersSeen = false
  const headers = new Promise<number>((resolve, reject) => {
    request({ port, host: '127.0.0.1', agent: false }, (reply) => {
      reply.on('data', (chunk: Buffer) => {
        chunks.push(chunk)
        waiting.shift()?.()
      })
      reply.on('end', () => {
        ended = true
        waiting.shift()?.()
      })
      headersSeen = true
      resolve(reply.statusCode ?? 0)
    })
      .on('error', reject)
      .end()
  })
  const received = () => Buffer.concat(chunks).toString('utf8')
  const nextEvent = () => new Promise<void>((resolve) => waiting.push(resolve))
  return { headers, received, nextEvent, ended: () => ended, headersSeen: () => headersSeen }
}

const reply = jsonReply(200, { access_token: 'x'.repeat(40), expires_in: 3600 })

describe('splitBody', () => {
  test('pieces are non-empty and concatenate to the body', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 1, maxLength: 200 }),
        fc.integer({ min: 1, max: 300 }),
        (bytes, chunks) => {
          const body = Buffer.from(bytes)
          const pieces = splitBody(body, chunks)
          expect(pieces).toHaveLength(Math.min(chunks, body.length))
          expect(pieces.every((piece) => piece.length > 0)).toBe(true)
          expect(Buffer.concat(pieces).equals(body)).toBe(true)
        },
      ),
    )
  })
})

describe('deliver', () => {
  test('a delay sends nothing until its timer fires', async () => {
    const clock = handDrivenTimers()
    const port = await serve({ _tag: 'send', reply, delayMs: 1000, chunks: 1, intervalMs: 0 }, clock.timers)
    const client = openReply(port)
    while (clock.pending() === 0) await new Promise((resolve) => setImmediate(resolve))
    expect(client.headersSeen()).toBe(false)
    clock.runNext()
    expect(await client.headers).toBe(200)
    while (!client.ended()) await client.nextEvent()
    expect(client.received()).toBe(reply.body)
  })

  test('a trickle sends headers and the first piece, then one piece per timer', async () => {
    const clock = handDrivenTimers()
    const port = await serve({ _tag: 'send', reply, delayMs: 0, chunks: 3, intervalMs: 1000 }, clock.timers)
    const client = openReply(port)
    const pieces = splitBody(Buffer.from(reply.body), 3).map((piece) => piece.toString('utf8'))
    expect(await client.headers).toBe(200)
    while (client.received().length < (pieces[0] ?? '').length) await client.nextEvent()
    expect(client.received()).toBe(pieces[0])
    expect(clock.pending()).toBe(1)
    clock.runNext()
    while (client.received().length < pieces.slice(0, 2).join('').length) await client.nextEvent()
    expect(client.received()).toBe(pieces.slice(0, 2).join(''))
    expect(client.ended()).toBe(false)
    clock.runNext()
    while (!client.ended()) await client.nextEvent()
    expect(client.received()).toBe(reply.body)
    expect(clock.pending()).toBe(0)
  })

  test('a hang schedules nothing and writes nothing', async () => {
    const clock = handDrivenTimers()
    let answered: boolean | undefined
    server = createServer((_request, response) => {
      deliver(response, { _tag: 'hang' }, clock.timers)
      answered = response.headersSent
    })
    await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve))
    const client = openReply((server.address() as AddressInfo).port)
    client.headers.catch(() => undefined)
    while (answered === undefined) await new Promise((resolve) => setImmediate(resolve))
    expect(answered).toBe(false)
    expect(clock.pending()).toBe(0)
  })
})
