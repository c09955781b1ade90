/**
 * Reading a reply body under a byte cap.
 *
 * The cap protects the process from an endpoint (or whatever answers at its address) that
 * streams without end: bytes are counted as they arrive and the connection is dropped the
 * moment the count passes the cap, or at once when `content-length` announces more.
 *
 * @since 0.1.0
 */

import type { IncomingMessage } from 'node:http'
import { announcesMoreThan, tooLargeFailure, transportFailure } from '@azmi/core'
import { left, right } from 'fp-ts/lib/Either.js'
import type { Attempt } from './attempt.js'
import { failureFromError } from './failureFromError.js'
import { responseHeaders } from './responseHeaders.js'

/** Collect `response` into an `HttpResponse` and settle `attempt` with it, or with why not. */
export const readResponse = (response: IncomingMessage, maxBytes: number, attempt: Attempt): void => {
  const announced = response.headers['content-length']
  if (announcesMoreThan(announced, maxBytes)) {
    attempt.settle(left(tooLargeFailure(maxBytes, Number(announced))))
    return
  }

  const chunks: Buffer[] = []
  let received = 0
  response.on('data', (chunk: Buffer) => {
    received += chunk.length
    if (received > maxBytes) attempt.settle(left(tooLargeFailure(maxBytes)))
    else chunks.push(chunk)
  })
  response.on('end', () => {
    attempt.settle(
      right({
        status: response.statusCode ?? 0,
        headers: responseHeaders(response),
        // decoded once at the end, so a character split across chunks survives
        body: Buffer.concat(chunks, received).toString('utf8'),
      }),
    )
  })
  // the connection broke mid-body: Node destroys the reply with ECONNRESET ("aborted")
  response.on('error', (error) => attempt.settle(left(failureFromError(error))))
  response.on('close', () => {
    if (!response.complete) attempt.settle(left(transportFailure('reset', 'the connection closed mid-reply')))
  })
}
