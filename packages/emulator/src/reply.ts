/**
 * A reply as plain data: the status, headers and body the emulator means to send when
 * nothing misbehaves. Environments build replies; `deliver.ts` puts them on the socket,
 * possibly distorted by a fault.
 *
 * @module
 */

/** What one endpoint answers. Header names are lower-case. */
export interface Reply {
  readonly status: number
  readonly headers: Readonly<Record<string, string>>
  readonly body: string
}

/** Builds one environment's error reply in that environment's own JSON shape. */
export type ErrorReply = (status: number, code: string, message: string) => Reply

/** A JSON reply; `extraHeaders` are added after (and so override) the content type. */
export const jsonReply = (
  status: number,
  body: unknown,
  extraHeaders: Readonly<Record<string, string>> = {},
): Reply => ({
  status,
  headers: { 'content-type': 'application/json; charset=utf-8', ...extraHeaders },
  body: JSON.stringify(body),
})

/**
 * The OAuth error shape, `{ error, error_description }`: what IMDS, Arc, Azure ML and Cloud
 * Shell send, and what the emulator itself says (an unknown path, a fault, an outage).
 */
export const oauthError: ErrorReply = (status, code, message) =>
  jsonReply(status, { error: code, error_description: message })

/** A reply without a body, such as a redirect. */
export const emptyReply = (status: number, headers: Readonly<Record<string, string>> = {}): Reply => ({
  status,
  headers,
  body: '',
})

/** The answer for a path no environment serves. */
export const notFoundReply = (path: string): Reply =>
  oauthError(404, 'not_found', `The emulator serves nothing at ${path}`)

/** Adds headers to a reply (for example `allow` on a 405). */
export const withHeaders = (reply: Reply, headers: Readonly<Record<string, string>>): Reply => ({
  ...reply,
  headers: { ...reply.headers, ...headers },
})

/** What a test may script about a reply: headers to add and a body to send instead. */
export interface ReplyOverrides {
  readonly headers?: Readonly<Record<string, string>>
  readonly body?: string
}

/** `fallback` with the scripted headers added and the scripted body, if any, instead of its own. */
export const overridden = (fallback: Reply, overrides: ReplyOverrides): Reply => ({
  ...withHeaders(fallback, overrides.headers ?? {}),
  body: overrides.body ?? fallback.body,
})
