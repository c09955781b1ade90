/**
 * Literal replies and ids for fake worlds: a JSON reply, a token reply every source's parser
 * accepts, and deterministic UUIDs.
 *
 * @since 0.1.0
 */
import type { HttpResponse } from '@azmi/core'

/** A reply with a JSON body (`body` a string is sent as it is) and a JSON content type. */
export const jsonResponse = (
  status: number,
  body: unknown,
  headers: Readonly<Record<string, string>> = {},
): HttpResponse => ({
  status,
  headers: { 'content-type': 'application/json', ...headers },
  body: typeof body === 'string' ? body : JSON.stringify(body),
})

/** A `200` token reply with `expires_in`: what every source's parser accepts. */
export const tokenResponse = (token = 'token-value', expiresInSeconds = 3600): HttpResponse =>
  jsonResponse(200, { access_token: token, expires_in: expiresInSeconds, token_type: 'Bearer' })

/** Deterministic version-4-shaped UUIDs: `00000000-0000-4000-8000-000000000001`, `…002`, … */
export const countingUuid = (): (() => string) => {
  let count = 0
  return () => {
    count += 1
    return `00000000-0000-4000-8000-${count.toString(16).padStart(12, '0')}`
  }
}
