/**
 * Turning what a runtime threw into a `TransportFailure` detail.
 *
 * Runtimes put surprising things in error messages: undici quotes an invalid header value in
 * full, and a proxy error may echo the request. The core's interpreter scrubs every failure
 * detail of the secrets a request carries before anything else sees it (docs/protocol.md
 * §1.5), so this module only gathers the runtime's words.
 *
 * @since 0.1.0
 */

/**
 * `"<what happened>: <runtime's words>"`. The runtime's words are the error's name, message,
 * and its `cause`'s code and message when present (undici hides `ECONNREFUSED` there).
 */
export const describeFailure = (what: string, error: unknown): string => `${what}: ${runtimeWords(error)}`

const runtimeWords = (error: unknown): string => {
  if (!(error instanceof Error)) return String(error)
  const own = `${error.name}: ${error.message}`
  const cause: unknown = error.cause
  if (!(cause instanceof Error)) return own
  const code = (cause as { readonly code?: unknown }).code
  return typeof code === 'string' ? `${own} (${code}: ${cause.message})` : `${own} (${cause.message})`
}
