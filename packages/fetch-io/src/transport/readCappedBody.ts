/**
 * Reading a reply body as UTF-8 text without ever holding more than the cap.
 *
 * `response.text()` would buffer whatever the server sends; a hostile or broken endpoint could
 * stream gigabytes. Here the body is read chunk by chunk and abandoned the moment the running
 * total passes the cap, and an announced `content-length` above the cap is refused before a
 * byte is read.
 *
 * @since 0.1.0
 */
import type { Either } from 'fp-ts/lib/Either.js'
import { left, right } from 'fp-ts/lib/Either.js'
import type { AttemptDeadline, Interruption } from './attemptDeadline.js'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/** Why a body could not be read in full. A stream error (a reset) is thrown, not returned. */
export type BodyShortfall = Interruption | 'too-large'

// -------------------------------------------------------------------------------------
// destructors
// -------------------------------------------------------------------------------------

/**
 * Read `body` as UTF-8 text. Resolves with the text, or with why it stopped early; rejects
 * only when the stream itself fails (the connection broke).
 *
 * When the deadline interrupts, the reader is cancelled, which ends a pending `read()` even
 * if the fetch implementation ignores its `signal`.
 */
export const readCappedText = async (
  body: ReadableStream<Uint8Array> | null,
  maxBytes: number,
  deadline: AttemptDeadline,
): Promise<Either<BodyShortfall, string>> => {
  if (body === null) return right('')
  const reader = body.getReader()
  const stopReading = (): void => abandon(reader)
  deadline.signal.addEventListener('abort', stopReading, { once: true })
  // The deadline may have fired between the headers and now; 'abort' would not fire again.
  if (deadline.signal.aborted) stopReading()
  try {
    return await readChunks(reader, maxBytes, deadline)
  } finally {
    deadline.signal.removeEventListener('abort', stopReading)
  }
}

const readChunks = async (
  reader: ReadableStreamDefaultReader<Uint8Array>,
  maxBytes: number,
  deadline: AttemptDeadline,
): Promise<Either<BodyShortfall, string>> => {
  // Not fatal: a stray invalid byte becomes U+FFFD and the reply parser judges the text.
  const decoder = new TextDecoder('utf-8')
  let received = 0
  let text = ''
  for (;;) {
    const chunk = await reader.read()
    // A cancelled reader reports `done`, so ask the deadline before trusting it.
    const interruption = deadline.interruption()
    if (interruption !== undefined) return left(interruption)
    if (chunk.done) return right(text + decoder.decode())
    received += chunk.value.byteLength
    if (received > maxBytes) {
      abandon(reader)
      return left('too-large')
    }
    text += decoder.decode(chunk.value, { stream: true })
  }
}

/** Cancel a body we no longer want, so the runtime can drop the connection; failures do not matter. */
const abandon = (reader: ReadableStreamDefaultReader<Uint8Array>): void => {
  reader.cancel().catch(() => undefined)
}
