/**
 * Keeping secrets out of errors and logs.
 *
 * Two layers: reply bodies lose their token fields before they are quoted, and every error
 * and log event is scrubbed of the secret values a credential knows (identity headers, the
 * Arc key, the federated token), in case a hostile endpoint echoes them back.
 *
 * @since 0.1.0
 */

const MAX_QUOTED_BODY = 1000
const TOKEN_FIELD = /("(?:access_token|refresh_token|id_token|client_assertion)"\s*:\s*)"(?:[^"\\]|\\.)*"/g
/** The same fields in form or query syntax, in bodies that are not JSON. */
const TOKEN_PARAMETER = /\b(access_token|refresh_token|id_token|client_assertion)=[^&\s"]+/g
/** Anything shaped like a JWT, wherever it sits. */
const JWT = /\beyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*/g

/** A reply body fit to quote in an error: token values replaced by `****`, length bounded. */
export const redactBody = (body: string): string => {
  const redacted = body
    .replace(TOKEN_FIELD, '$1"****"')
    .replace(TOKEN_PARAMETER, '$1=****')
    .replace(JWT, '****')
  return redacted.length > MAX_QUOTED_BODY ? `${redacted.slice(0, MAX_QUOTED_BODY)}... (truncated)` : redacted
}

/** Secrets shorter than this are not scrubbed: replacing every "a" would garble the text. */
const MIN_SECRET_LENGTH = 4

/** Replace every occurrence of each secret in `text` with `****`. */
export const scrubText = (text: string, secrets: ReadonlyArray<string>): string =>
  secrets
    .filter((secret) => secret.length >= MIN_SECRET_LENGTH)
    .reduce((result, secret) => result.split(secret).join('****'), text)

/** Scrub every string field of a flat record (an error or a log event). */
export const scrubRecord = <R extends object>(record: R, secrets: ReadonlyArray<string>): R => {
  if (secrets.length === 0) return record
  const entries = Object.entries(record).map(([key, value]) => [
    key,
    typeof value === 'string'
      ? scrubText(value, secrets)
      : Array.isArray(value)
        ? value.map((item) => (typeof item === 'string' ? scrubText(item, secrets) : item))
        : value,
  ])
  return Object.fromEntries(entries) as R
}
