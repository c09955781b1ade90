/** Literal requests for the transport tests, and the shapes of the outcomes they expect. */
import type { HttpRequest } from '@azmi/core'

/** A GET to `url` with a deadline long enough never to matter unless a test wants it to. */
export const get = (url: string, extra: Partial<HttpRequest> = {}): HttpRequest => ({
  method: 'GET',
  url,
  headers: { Metadata: 'true' },
  timeoutMs: 10_000,
  ...extra,
})

/** A header value no failure detail may ever contain. */
export const SECRET = 'secret-header-value-3f9c'

/** What a failed `send` looks like, for `toMatchObject`. */
export const failure = (kind: string) => ({ _tag: 'Left', left: { _tag: 'TransportFailure', kind } })

/** The failure detail of a `send` outcome ('' for a reply). */
export const detailOf = (outcome: { _tag: string; left?: { detail: string } }): string =>
  outcome._tag === 'Left' ? (outcome.left?.detail ?? '') : ''
