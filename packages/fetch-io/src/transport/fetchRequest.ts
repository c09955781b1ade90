/**
 * From azmi's plain `HttpRequest` to a web `Request`.
 *
 * The `Request` is built before calling fetch so that a malformed request (an invalid header
 * value, say) fails here, as a `TypeError` we can tell apart from the `TypeError` fetch uses
 * for network errors, without reading either message.
 *
 * @since 0.1.0
 */
import type { HttpRequest } from '@azmi/core'

/**
 * A `Request` that never follows redirects and aborts with `signal`.
 *
 * No `cache` option: token replies must not be cached, but Cloudflare Workers reject a
 * `cache` field outright, and none of azmi's endpoints sends cacheable replies.
 */
export const toFetchRequest = (request: HttpRequest, signal: AbortSignal): Request =>
  new Request(request.url, {
    method: request.method,
    headers: request.headers,
    redirect: 'manual',
    signal,
    ...(request.body === undefined ? {} : { body: request.body }),
  })
