/**
 * A proxying `fetch` that keeps IMDS away from the proxy (docs/protocol.md §1.6).
 *
 * fetch-io has no proxy of its own: the runtime's fetch decides, through an option of its
 * own in the request's init (Node's undici `dispatcher`, Deno's `client`, Bun's `proxy`).
 * Adding that option to every request would send IMDS (`169.254.169.254`) and the local
 * endpoints of App Service, Azure ML, Cloud Shell and Arc (loopback) to the proxy, which
 * cannot reach them and must not see them. {@link withProxy} adds it to every other request.
 *
 * Web-standard code only: this module is part of the main entry, which bundles with no
 * Node built-in.
 *
 * @since 0.1.0
 */

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/**
 * What the runtime's fetch needs in its init to use a proxy: `{ dispatcher }` (undici's
 * `ProxyAgent` or `EnvHttpProxyAgent`, on Node), `{ client }` (`Deno.createHttpClient`), or
 * `{ proxy }` (a URL, on Bun).
 */
export type ProxyInit = Readonly<Record<string, unknown>>

// -------------------------------------------------------------------------------------
// constructors
// -------------------------------------------------------------------------------------

/**
 * `fetchImpl` with `proxyInit` merged into the init of every request, except requests to
 * loopback (`127.0.0.0/8`, `::1`, `localhost`) and link-local hosts (`169.254.0.0/16`,
 * `fe80::/10`; IMDS lives there): those get the init they came with, unchanged.
 *
 * A runtime that also reads `HTTPS_PROXY`/`HTTP_PROXY` itself (Deno and Bun do) proxies those
 * unchanged requests too, unless `NO_PROXY` names their hosts.
 *
 * @example
 * ```ts
 * import { ManagedIdentityCredential, withProxy } from '@azmi/fetch-io'
 *
 * // Bun: its fetch takes a `proxy` URL in the init
 * const fetchThroughProxy = withProxy(fetch, { proxy: 'http://proxy.example:3128' })
 * const credential = new ManagedIdentityCredential({ env: Bun.env, fetch: fetchThroughProxy })
 * ```
 */
export const withProxy = (fetchImpl: typeof fetch, proxyInit: ProxyInit): typeof fetch => {
  const proxied = (input: Parameters<typeof fetch>[0], init?: RequestInit): Promise<Response> =>
    isNeverProxied(urlOf(input)) ? fetchImpl(input, init) : fetchImpl(input, { ...init, ...proxyInit })
  // A runtime's `typeof fetch` may carry more than the call (Bun's has `preconnect`); the
  // result is only ever called, as fetch-io calls it.
  return proxied as typeof fetch
}

// -------------------------------------------------------------------------------------
// utils
// -------------------------------------------------------------------------------------

/**
 * Whether a request to `url` must reach its host directly: its host is loopback or
 * link-local. A URL that does not parse is not proxied either (fetch will refuse it anyway).
 *
 * Decided on the host as the WHATWG URL parser writes it, so every spelling of an address
 * (`http://2852039166/`, `http://0xa9.0xfe.0xa9.0xfe/`, `[::ffff:169.254.169.254]`) is
 * judged as the address it is.
 */
export const isNeverProxied = (url: string): boolean => {
  if (!URL.canParse(url)) return true
  const host = new URL(url).hostname.replace(/\.$/, '')
  if (host === 'localhost' || host.endsWith('.localhost')) return true
  const ipv4 = ipv4Octets(host) ?? ipv4Mapped(host)
  if (ipv4 !== undefined) return isLoopbackOrLinkLocalV4(ipv4)
  // The parser writes IPv6 compressed and in lower case: `::1`, or a first group of fe80–febf.
  return host === '[::1]' || /^\[fe[89ab][0-9a-f]:/.test(host)
}

// -------------------------------------------------------------------------------------
// internals
// -------------------------------------------------------------------------------------

const urlOf = (input: Parameters<typeof fetch>[0]): string =>
  typeof input === 'string' ? input : 'href' in input ? input.href : input.url

type Octets = readonly [number, number]

/** The first two octets of a dotted-decimal IPv4 host, as the parser writes every IPv4 host. */
const ipv4Octets = (host: string): Octets | undefined => {
  const match = /^(\d{1,3})\.(\d{1,3})\.\d{1,3}\.\d{1,3}$/.exec(host)
  return match === null ? undefined : [Number(match[1]), Number(match[2])]
}

/** The first two octets of an IPv4-mapped IPv6 host, `[::ffff:a9fe:a9fe]`. */
const ipv4Mapped = (host: string): Octets | undefined => {
  const match = /^\[::ffff:([0-9a-f]{1,4}):[0-9a-f]{1,4}\]$/.exec(host)
  if (match?.[1] === undefined) return undefined
  const high = Number.parseInt(match[1], 16)
  return [high >> 8, high & 0xff]
}

const isLoopbackOrLinkLocalV4 = ([first, second]: Octets): boolean =>
  first === 127 || (first === 169 && second === 254)
