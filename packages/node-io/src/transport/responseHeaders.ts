/**
 * Reply headers in the core's shape: one string per lower-case name.
 *
 * @since 0.1.0
 */
import type { IncomingMessage } from 'node:http'

/**
 * Every header of `response`, names lower-cased (Node already does), repeated headers joined
 * with `, ` as RFC 9110 §5.3 allows. `headersDistinct` is used rather than `headers` because
 * the latter silently keeps only the first of some repeated headers.
 *
 * `Object.fromEntries` defines own properties, so a hostile `__proto__` header stays an
 * ordinary entry and cannot change the object's prototype.
 */
export const responseHeaders = (response: IncomingMessage): Readonly<Record<string, string>> => {
  const joined: Array<[string, string]> = []
  for (const [name, values] of Object.entries(response.headersDistinct)) {
    if (values !== undefined) joined.push([name, values.join(', ')])
  }
  return Object.fromEntries(joined)
}
