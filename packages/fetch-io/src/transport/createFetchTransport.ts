/**
 * The `send` capability over the web-standard `fetch`: Node 18+, Deno, Bun, Cloudflare
 * Workers and browsers alike.
 *
 * One call is one attempt: retries, backoff and what each failure means are the core's
 * decisions. This module only carries bytes, bounded in time (`timeoutMs`, connect through the
 * last byte) and in size (`maxResponseBytes`), and reports how an attempt failed.
 *
 * @since 0.1.0
 */
import type { Capabilities, HttpRequest, HttpResponse, TransportFailure } from '@azmi/core'
import {
  announcesMoreThan,
  interruptedFailure,
  MAX_RESPONSE_BYTES,
  tooLargeFailure,
  transportFailure,
} from '@azmi/core'
import type { Either } from 'fp-ts/lib/Either.js'
import { isLeft, left, right } from 'fp-ts/lib/Either.js'
import type { AttemptDeadline, Interruption } from './attemptDeadline.js'
import { raceDeadline, startAttemptDeadline } from './attemptDeadline.js'
import { attemptFailure, invalidRequestFailure, opaqueRedirectFailure } from './classifyFailure.js'
import { toFetchRequest } from './fetchRequest.js'
import { readCappedText } from './readCappedBody.js'
import { refusePinning } from './refusePinning.js'
import { toHeaderRecord } from './responseHeaders.js'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/** Options of {@link createFetchTransport}; every one has a default. */
export interface FetchTransportOptions {
  /**
   * The fetch to call. Default: `globalThis.fetch`, looked up on every send, so a fetch
   * installed after the transport was created is the one used.
   */
  readonly fetch?: typeof fetch
  /** Largest reply body accepted, in bytes. Default {@link DEFAULT_MAX_RESPONSE_BYTES}. */
  readonly maxResponseBytes?: number
}

/** A transport: the `send` capability, ready to put into `Capabilities`. */
export interface FetchTransport {
  /** Send one request over fetch: the core's `send` capability. */
  readonly send: Capabilities['send']
}

/** 1 MiB, the core's cap: token replies are a few kilobytes; anything near this is not a token endpoint. */
export const DEFAULT_MAX_RESPONSE_BYTES = MAX_RESPONSE_BYTES

type Send = Capabilities['send']
type Outcome = Either<TransportFailure, HttpResponse>

// -------------------------------------------------------------------------------------
// constructors
// -------------------------------------------------------------------------------------

/**
 * A transport that sends each request with `fetch`, never follows redirects, enforces
 * `request.timeoutMs` and the caller's signal, caps the reply body, and refuses requests
 * that need certificate pinning (`pinning-unsupported`) without sending them.
 *
 * @example
 * ```ts
 * import { createFetchTransport } from '@azmi/fetch-io'
 *
 * const { send } = createFetchTransport({ maxResponseBytes: 64 * 1024 })
 * const reply = await send({ method: 'GET', url: 'http://127.0.0.1:8080/', headers: {}, timeoutMs: 2000 }, undefined)
 * ```
 */
export const createFetchTransport = (options: FetchTransportOptions = {}): FetchTransport => {
  const maxBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES
  const send: Send = async (request, signal, hints) => {
    const refusal = refusePinning(request)
    if (refusal !== undefined) return left(refusal)
    if (signal?.aborted === true) return left(interruptedFailure('aborted', request.timeoutMs))
    // Kept in a local and called bare: called as `options.fetch(...)` its `this` would be
    // `options`, which browsers and workerd reject with "Illegal invocation".
    const fetchImpl = options.fetch ?? globalThis.fetch
    if (typeof fetchImpl !== 'function') {
      return left(
        transportFailure('other', 'this runtime has no global fetch; pass one as the `fetch` option'),
      )
    }
    const deadline = startAttemptDeadline(request.timeoutMs, signal, hints?.background === true)
    try {
      return await attempt(fetchImpl, request, maxBytes, deadline)
    } finally {
      deadline.dispose()
    }
  }
  return { send }
}

// -------------------------------------------------------------------------------------
// internals
// -------------------------------------------------------------------------------------

const attempt = async (
  fetchImpl: typeof fetch,
  request: HttpRequest,
  maxBytes: number,
  deadline: AttemptDeadline,
): Promise<Outcome> => {
  let fetchRequest: Request
  try {
    fetchRequest = toFetchRequest(request, deadline.signal)
  } catch (error) {
    return left(invalidRequestFailure(error))
  }
  let response: Either<Interruption, Response>
  try {
    // `async` turns a fetch that throws synchronously into a rejection; a response that comes
    // after the deadline has its body cancelled, releasing the connection
    const pending = (async () => fetchImpl(fetchRequest))()
    response = await raceDeadline(pending, deadline, (late) => late.body?.cancel().catch(() => undefined))
  } catch (error) {
    return left(attemptFailure('before-response', error, deadline, request))
  }
  if (isLeft(response)) return left(interruptedFailure(response.left, request.timeoutMs))
  return readResponse(response.right, request, maxBytes, deadline)
}

const readResponse = async (
  response: Response,
  request: HttpRequest,
  maxBytes: number,
  deadline: AttemptDeadline,
): Promise<Outcome> => {
  if (response.type === 'opaqueredirect') return left(opaqueRedirectFailure())
  if (announcesMoreThan(response.headers.get('content-length'), maxBytes)) {
    response.body?.cancel().catch(() => undefined)
    return left(tooLargeFailure(maxBytes))
  }
  try {
    const body = await readCappedText(response.body, maxBytes, deadline)
    if (isLeft(body)) {
      return left(
        body.left === 'too-large'
          ? tooLargeFailure(maxBytes)
          : interruptedFailure(body.left, request.timeoutMs),
      )
    }
    return right({ status: response.status, headers: toHeaderRecord(response.headers), body: body.right })
  } catch (error) {
    return left(attemptFailure('reading-body', error, deadline, request))
  }
}
