/**
 * Reply headers as the plain, lower-cased record `HttpResponse` carries.
 *
 * @since 0.1.0
 */

/**
 * Copy `headers` into a record with lower-case names. Runtimes already lower-case names when
 * iterating `Headers`, but an injected fetch may hand back a look-alike that does not.
 * Repeated names (some runtimes list each `set-cookie` separately) are joined with `, `, as
 * `Headers.get` joins them.
 */
export const toHeaderRecord = (headers: Headers): Readonly<Record<string, string>> => {
  const byName = new Map<string, string>()
  headers.forEach((value, name) => {
    const key = name.toLowerCase()
    const earlier = byName.get(key)
    byName.set(key, earlier === undefined ? value : `${earlier}, ${value}`)
  })
  // `fromEntries` defines own properties, so even a header called `__proto__` survives.
  return Object.fromEntries(byName)
}
