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

/** A reply without a body, such as a redirect. */
export const emptyReply = (status: number, headers: Readonly<Record<string, string>> = {}): Reply => ({
  status,
  headers,
  body: '',
})

/** The answer for a path no environment serves. */
export const notFoundReply = (path: string): Reply =>
  jsonReply(404, { error: 'not_found', error_description: `The emulator serves nothing at ${path}` })

/** Adds headers to a reply (for example `allow` on a 405). */
export const withHeaders = (reply: Reply, headers: Readonly<Record<string, string>>): Reply => ({
  ...reply,
  headers: { ...reply.headers, ...headers },
})
