/** Literal request fixtures for the transport tests. */
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
