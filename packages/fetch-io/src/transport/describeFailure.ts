/**
 * Turning what a runtime threw into a `TransportFailure` detail that is safe to show.
 *
 * Runtimes put surprising things in error messages: undici quotes an invalid header value in
 * full, and a proxy error may echo the request. Since header values and bodies carry secrets
 * (`X-IDENTITY-HEADER`, `MSI_SECRET`, the Arc key, a federated token), every detail built from
 * a runtime's words is scrubbed of them before it leaves the transport.
 *
 * @since 0.1.0
 */
import type { HttpRequest } from '@azmi/core'

/** Values shorter than this are not scrubbed: replacing every `a` would only garble the text. */
const MIN_SECRET_LENGTH = 4

/**
 * `"<what happened>: <runtime's words>"`, with each request header value and the body replaced
 * by `****`. The runtime's words are the error's name, message, and its `cause`'s code and
 * message when present (undici hides `ECONNREFUSED` there).
 */
export const describeFailure = (what: string, error: unknown, request: HttpRequest): string =>
  scrubSecrets(`${what}: ${runtimeWords(error)}`, request)

/** Replace each secret the request carries with `****`. */
const scrubSecrets = (text: string, request: HttpRequest): string =>
  secretsOf(request).reduce((scrubbed, secret) => scrubbed.split(secret).join('****'), text)

const secretsOf = (request: HttpRequest): ReadonlyArray<string> => {
  const values = [...Object.values(request.headers), ...(request.body === undefined ? [] : [request.body])]
  // Runtimes trim header values before quoting them, so scrub the trimmed form too.
  const candidates = values.flatMap((value) => [value, value.trim()])
  // Longest first, so a secret that contains a shorter one is scrubbed whole.
  return [...new Set(candidates)]
    .filter((value) => value.length >= MIN_SECRET_LENGTH)
    .sort((a, b) => b.length - a.length)
}

const runtimeWords = (error: unknown): string => {
  if (!(error instanceof Error)) return String(error)
  const own = `${error.name}: ${error.message}`
  const cause: unknown = error.cause
  if (!(cause instanceof Error)) return own
  const code = (cause as { readonly code?: unknown }).code
  return typeof code === 'string' ? `${own} (${code}: ${cause.message})` : `${own} (${cause.message})`
}
