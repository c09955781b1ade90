import type { HttpRequest } from '@azmi/core'
import { createFetchTransport, DEFAULT_MAX_RESPONSE_BYTES } from '@azmi/fetch-io'
import { resourcesPerTest } from '@azmi/test-support'
import { describe, expect, it } from 'vitest'
import { startAttemptDeadline } from '../../src/transport/attemptDeadline.js'
import { readCappedText } from '../../src/transport/readCappedBody.js'

const MIB = 1024 * 1024

const { serve } = resourcesPerTest()

// A long timeout: a failure to stop at the cap shows as a hang, never as a slow pass.
const get = (url: string): HttpRequest => ({ method: 'GET', url, headers: {}, timeoutMs: 60_000 })

describe('the reply body cap', () => {
  it('is 1 MiB by default', () => {
    expect(DEFAULT_MAX_RESPONSE_BYTES).toBe(MIB)
  })

  it('accepts a body of exactly 1 MiB', async () => {
    const server = await serve((_request, response) => response.end('x'.repeat(MIB)))
    const reply = await createFetchTransport().send(get(server.url), undefined)
    expect(reply._tag).toBe('Right')
    expect(reply._tag === 'Right' ? reply.right.body.length : 0).toBe(MIB)
  })

  it('stops the moment a streamed body passes 1 MiB, without waiting for its end', async () => {
    const server = await serve((_request, response) => {
      // chunked, no content-length, and the reply is never ended
      response.writeHead(200, { 'content-type': 'application/octet-stream' })
      response.write('x'.repeat(MIB))
      response.write('one byte too many')
    })
    const reply = await createFetchTransport().send(get(server.url), undefined)
    expect(reply).toMatchObject({
      _tag: 'Left',
      left: { _tag: 'TransportFailure', kind: 'response-too-large' },
    })
  })

  it('refuses a reply whose content-length announces more than 1 MiB before reading it', async () => {
    const server = await serve((_request, response) => {
      response.writeHead(200, { 'content-length': String(2 * MIB) })
      response.write('{"access_token":') // and nothing more: reading would hang
    })
    const reply = await createFetchTransport().send(get(server.url), undefined)
    expect(reply).toMatchObject({ _tag: 'Left', left: { kind: 'response-too-large' } })
  })

  it('honours a smaller maxResponseBytes, streamed and announced', async () => {
    const streamed = await serve((_request, response) => {
      response.writeHead(200)
      response.write('0123456789A')
    })
    const announced = await serve((_request, response) => {
      response.writeHead(200, { 'content-length': '11' })
      response.write('0')
    })
    const transport = createFetchTransport({ maxResponseBytes: 10 })
    await expect(transport.send(get(streamed.url), undefined)).resolves.toMatchObject({
      left: { kind: 'response-too-large', detail: 'the reply body exceeds the limit of 10 bytes' },
    })
    await expect(transport.send(get(announced.url), undefined)).resolves.toMatchObject({
      left: { kind: 'response-too-large' },
    })
  })

  it('counts bytes, not characters', async () => {
    // 6 characters, 12 bytes in UTF-8
    const server = await serve((_request, response) => response.end('éééééé'))
    const reply = await createFetchTransport({ maxResponseBytes: 11 }).send(get(server.url), undefined)
    expect(reply).toMatchObject({ _tag: 'Left', left: { kind: 'response-too-large' } })
  })
})

describe('readCappedText', () => {
  it('stops at once when the deadline fired before reading began, even on a stream that never yields', async () => {
    const controller = new AbortController()
    controller.abort()
    const deadline = startAttemptDeadline(60_000, controller.signal)
    const neverYields = new ReadableStream<Uint8Array>({ pull: () => new Promise(() => undefined) })
    await expect(readCappedText(neverYields, 10, deadline)).resolves.toEqual({
      _tag: 'Left',
      left: 'aborted',
    })
    deadline.dispose()
  })
})
