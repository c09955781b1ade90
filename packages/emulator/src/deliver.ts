/**
 * Carries out a {@link Delivery} on a real socket: timers for delays and trickles, partial
 * writes and destroyed sockets for drops, a streamed body for oversized replies.
 *
 * @module
 */
import type { ServerResponse } from 'node:http'
import type { Delivery } from './faultPlan.js'
import type { Reply } from './reply.js'
import type { Timers } from './timers.js'

const writeHead = (response: ServerResponse, reply: Reply, body: Buffer): void => {
  for (const [name, value] of Object.entries(reply.headers)) response.setHeader(name, value)
  response.setHeader('content-length', body.length)
  response.writeHead(reply.status)
}

/** Splits `body` into `chunks` pieces of nearly equal size (none empty unless the body is). */
export const splitBody = (body: Buffer, chunks: number): ReadonlyArray<Buffer> => {
  const count = Math.max(1, Math.min(chunks, body.length))
  return Array.from({ length: count }, (_, index) =>
    body.subarray(Math.floor((index * body.length) / count), Math.floor(((index + 1) * body.length) / count)),
  )
}

const sendInPieces = (
  response: ServerResponse,
  reply: Reply,
  pieces: { delayMs: number; chunks: number; intervalMs: number },
  timers: Timers,
): void => {
  const body = Buffer.from(reply.body, 'utf8')
  const [first, ...rest] = splitBody(body, pieces.chunks)
  const writeFrom = (index: number): void => {
    const piece = rest[index]
    if (piece === undefined) {
      response.end()
      return
    }
    timers.after(pieces.intervalMs, () => {
      response.write(piece)
      writeFrom(index + 1)
    })
  }
  const start = (): void => {
    writeHead(response, reply, body)
    // Headers go out with the first piece, so the client sees a reply that then stalls.
    response.write(first ?? Buffer.alloc(0))
    writeFrom(0)
  }
  if (pieces.delayMs === 0) start()
  else timers.after(pieces.delayMs, start)
}

const dropMidBody = (response: ServerResponse, reply: Reply): void => {
  const body = Buffer.from(reply.body, 'utf8')
  writeHead(response, reply, body)
  response.write(body.subarray(0, Math.floor(body.length / 2)), () => response.socket?.destroy())
}

/** Bytes shaped like the start of a token reply, so a client that parses eagerly sees JSON. */
const oversizedPrefix = Buffer.from('{"access_token":"')
const streamChunkBytes = 64 * 1024

const streamOversized = (response: ServerResponse, bytes: number): void => {
  response.writeHead(200, { 'content-type': 'application/json; charset=utf-8' })
  let remaining = bytes
  const writeMore = (): void => {
    while (remaining > 0 && !response.destroyed) {
      const size = Math.min(remaining, streamChunkBytes)
      const chunk = Buffer.alloc(size, 'A')
      if (remaining === bytes) oversizedPrefix.copy(chunk, 0, 0, Math.min(size, oversizedPrefix.length))
      remaining -= size
      // Respect backpressure: a client that stops reading must not make the emulator buffer it all.
      if (!response.write(chunk)) {
        response.once('drain', writeMore)
        return
      }
    }
    if (remaining === 0) response.end()
  }
  writeMore()
}

/** Answers `response` as `delivery` says. */
export const deliver = (response: ServerResponse, delivery: Delivery, timers: Timers): void => {
  switch (delivery._tag) {
    case 'send':
      sendInPieces(response, delivery.reply, delivery, timers)
      break
    case 'hang':
      // Nothing: the socket stays open until the client gives up or close() destroys it.
      break
    case 'dropBeforeHeaders':
      response.socket?.destroy()
      break
    case 'dropMidBody':
      dropMidBody(response, delivery.reply)
      break
    case 'oversized':
      streamOversized(response, delivery.bytes)
      break
  }
}
