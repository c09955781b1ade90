/**
 * A pipeline response's body as UTF-8 text, never holding more than the cap.
 *
 * The adapter asks for the body as a stream (`streamResponseStatusCodes` holding every
 * status), because the pipeline's own `bodyAsText` buffers whatever the server sends: a
 * hostile endpoint could stream gigabytes into it. The stream is read chunk by chunk and
 * abandoned the moment the total passes the cap; a `content-length` above the cap is refused
 * before a byte is read. A client that ignores the request for a stream and hands back
 * `bodyAsText` is checked after the fact.
 *
 * @since 0.1.0
 */

import { type AttemptDeadline, type BodyShortfall, readCappedText } from '@azmi/fetch-io'
import type { PipelineResponse } from '@azure/core-rest-pipeline'
import type { Either } from 'fp-ts/lib/Either.js'
import { left, right } from 'fp-ts/lib/Either.js'

/** The body is larger than the cap. (A stream that fails is thrown, not returned.) */
export type TooLarge = 'too-large'

type NodeStream = NonNullable<PipelineResponse['readableStreamBody']>

/** Drop a body no one will read, so the client can release its connection; failures do not matter. */
export const discardBody = (response: PipelineResponse): void => {
  ;(response.readableStreamBody as { destroy?: () => void } | undefined)?.destroy?.()
  response.browserStreamBody?.cancel().catch(() => undefined)
}

const readNodeStream = (stream: NodeStream, maxBytes: number): Promise<Either<TooLarge, string>> =>
  new Promise((resolve, reject) => {
    const decoder = new TextDecoder('utf-8')
    let received = 0
    let text = ''
    const stop = (): void => {
      stream.removeListener('data', onData)
      stream.removeListener('end', onEnd)
      stream.removeListener('error', onError)
    }
    const onData = (chunk: Uint8Array | string): void => {
      const bytes = typeof chunk === 'string' ? new TextEncoder().encode(chunk) : chunk
      received += bytes.byteLength
      if (received > maxBytes) {
        stop()
        ;(stream as { destroy?: () => void }).destroy?.()
        resolve(left('too-large'))
        return
      }
      text += decoder.decode(bytes, { stream: true })
    }
    const onEnd = (): void => {
      stop()
      resolve(right(text + decoder.decode()))
    }
    const onError = (error: unknown): void => {
      stop()
      reject(error)
    }
    stream.on('data', onData)
    stream.on('end', onEnd)
    stream.on('error', onError)
  })

/**
 * The body of `response` as text, or why it stopped early: `too-large`, or the attempt's
 * deadline (`timeout`, `aborted`). A web stream is read by fetch-io's reader, which cancels
 * it when the deadline fires. Rejects only when the stream itself fails (the connection broke
 * mid-reply).
 */
export const readCappedBody = (
  response: PipelineResponse,
  maxBytes: number,
  deadline: AttemptDeadline,
): Promise<Either<BodyShortfall, string>> => {
  if (response.readableStreamBody !== undefined) {
    const interrupted = deadline.interrupted.then((why) => left<BodyShortfall, string>(why))
    return Promise.race([readNodeStream(response.readableStreamBody, maxBytes), interrupted])
  }
  if (response.browserStreamBody !== undefined)
    return readCappedText(response.browserStreamBody, maxBytes, deadline)
  const text = response.bodyAsText ?? ''
  return Promise.resolve(
    new TextEncoder().encode(text).byteLength > maxBytes ? left('too-large') : right(text),
  )
}
