import type { HttpRequest } from '@azmi/core'
import { createFetchTransport } from '@azmi/fetch-io'
import { resourcesPerTest, signalled } from '@azmi/test-support'
import { describe, expect, it } from 'vitest'
import { startAttemptDeadline } from '../../src/transport/attemptDeadline.js'
import { recordingSignal } from '../support/recordingSignal.js'

const { serve } = resourcesPerTest()

const get = (url: string, timeoutMs: number): HttpRequest => ({ method: 'GET', url, headers: {}, timeoutMs })

/** Never answers: the request hangs until the client gives up or the server closes. */
const silent = () => undefined

describe('timeouts', () => {
  it('times out when the headers never come', async () => {
    const server = await serve(silent)
    const reply = await createFetchTransport().send(get(server.url, 200), undefined)
    expect(reply).toMatchObject({ _tag: 'Left', left: { _tag: 'TransportFailure', kind: 'timeout' } })
    expect(server.requests).toHaveLength(1)
  })

  it('keeps the clock running while the body trickles in', async () => {
    const server = await serve((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' })
      // One byte every 20 ms, bounded so the server stops by itself if the client never does.
      let sent = 0
      const drip = setInterval(() => {
        if (response.destroyed || sent === 500) {
          clearInterval(drip)
          response.end()
        } else {
          response.write(' ')
          sent += 1
        }
      }, 20)
    })
    // The timeout is generous so that, even on a loaded machine, the headers beat it and the
    // deadline lands mid-body; the drip outlasts it tenfold.
    let headersArrived = false
    const noteHeaders: typeof fetch = async (input) => {
      const response = await fetch(input)
      headersArrived = true
      return response
    }
    const reply = await createFetchTransport({ fetch: noteHeaders }).send(get(server.url, 1000), undefined)
    expect(headersArrived).toBe(true)
    expect(reply).toMatchObject({ _tag: 'Left', left: { kind: 'timeout' } })
  })

  it('times out even with a fetch that ignores its signal', async () => {
    const neverSettles: typeof fetch = () => new Promise<Response>(() => undefined)
    const reply = await createFetchTransport({ fetch: neverSettles }).send(
      get('http://127.0.0.1:9/', 50),
      undefined,
    )
    expect(reply).toMatchObject({ _tag: 'Left', left: { kind: 'timeout' } })
  })

  it('times out even when the body stream ignores the signal', async () => {
    // Headers at once, then a body that never yields a chunk and never closes.
    const stalledBody: typeof fetch = async () =>
      new Response(new ReadableStream<Uint8Array>({ pull: () => new Promise(() => undefined) }))
    const reply = await createFetchTransport({ fetch: stalledBody }).send(
      get('http://127.0.0.1:9/', 50),
      undefined,
    )
    expect(reply).toMatchObject({ _tag: 'Left', left: { kind: 'timeout' } })
  })
})

describe('the caller aborting', () => {
  it('never calls fetch when the signal is already aborted', async () => {
    const server = await serve((_request, response) => response.end())
    const controller = new AbortController()
    controller.abort()
    const reply = await createFetchTransport().send(get(server.url, 10_000), controller.signal)
    expect(reply).toMatchObject({ _tag: 'Left', left: { kind: 'aborted' } })
    expect(server.requests).toEqual([])
  })

  it('reports aborted when the signal fires while waiting for the headers', async () => {
    const controller = new AbortController()
    const server = await serve(() => controller.abort())
    const reply = await createFetchTransport().send(get(server.url, 10_000), controller.signal)
    expect(reply).toMatchObject({ _tag: 'Left', left: { kind: 'aborted' } })
    expect(server.requests).toHaveLength(1)
  })

  it('reports aborted when the signal fires while the body is read', async () => {
    const controller = new AbortController()
    const server = await serve((_request, response) => {
      response.writeHead(200)
      response.write('{"partial":') // and never more
    })
    const abortAfterHeaders: typeof fetch = async (input) => {
      const response = await fetch(input)
      // A macrotask later: the transport holds the response by then and waits on the body.
      setTimeout(() => controller.abort(), 0)
      return response
    }
    const reply = await createFetchTransport({ fetch: abortAfterHeaders }).send(
      get(server.url, 10_000),
      controller.signal,
    )
    expect(reply).toMatchObject({ _tag: 'Left', left: { kind: 'aborted' } })
  })

  it("removes its listener from the caller's signal, on success and on failure", async () => {
    const server = await serve((request, response) => {
      if (request.url === '/ok') response.end('fine')
    })
    const okSignal = recordingSignal(new AbortController())
    const ok = await createFetchTransport().send(get(`${server.url}/ok`, 10_000), okSignal.signal)
    expect(ok._tag).toBe('Right')
    expect(okSignal.listeners.size).toBe(0)

    const timedOutSignal = recordingSignal(new AbortController())
    const timedOut = await createFetchTransport().send(get(`${server.url}/hang`, 100), timedOutSignal.signal)
    expect(timedOut).toMatchObject({ _tag: 'Left', left: { kind: 'timeout' } })
    expect(timedOutSignal.listeners.size).toBe(0)
  })
})

describe('startAttemptDeadline', () => {
  it('names the timeout as the interruption and aborts its signal', async () => {
    const deadline = startAttemptDeadline(10, undefined)
    await expect(deadline.interrupted).resolves.toBe('timeout')
    expect(deadline.interruption()).toBe('timeout')
    expect(deadline.signal.aborted).toBe(true)
    deadline.dispose()
  })

  it('keeps the first interruption when the caller aborts after the timeout', async () => {
    const controller = new AbortController()
    const deadline = startAttemptDeadline(10, controller.signal)
    await deadline.interrupted
    controller.abort()
    expect(deadline.interruption()).toBe('timeout')
    deadline.dispose()
  })

  it('stops its timer on dispose, so a disposed deadline never fires', async () => {
    const deadline = startAttemptDeadline(5, undefined)
    deadline.dispose()
    const later = signalled()
    setTimeout(() => later.resolve(), 50)
    await later.promise
    expect(deadline.interruption()).toBeUndefined()
    expect(deadline.signal.aborted).toBe(false)
  })
})
