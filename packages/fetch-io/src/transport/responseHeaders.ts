/**
 * Reply headers as the plain, lower-cased record `HttpResponse` carries.
 *
 * @since 0.1.0
 */
import { joinHeaders } from '@azmi/core'

/**
 * Copy `headers` into a record with lower-case names, repeated names joined with `, ` (the
 * core's rule). Runtimes already lower-case names when iterating `Headers`, but an injected
 * fetch may hand back a look-alike that does not, and some list each `set-cookie` separately.
 */
export const toHeaderRecord = (headers: Headers): Readonly<Record<string, string>> => {
  const entries: Array<[string, string]> = []
  headers.forEach((value, name) => {
    entries.push([name, value])
  })
  return joinHeaders(entries)
}
