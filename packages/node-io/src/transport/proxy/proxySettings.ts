/**
 * Which proxy, if any, a request goes through (docs/protocol.md §1.6): a pure decision from
 * the credential's environment snapshot and the `proxy` option, made per request URL.
 *
 * - `https:` URLs read `https_proxy`, then `HTTPS_PROXY`; `http:` URLs read `http_proxy`,
 *   then `HTTP_PROXY`; exceptions come from `no_proxy`, then `NO_PROXY`. When both spellings
 *   are set the lower-case one wins, as in curl and Go; an empty value counts as unset
 *   (docs/protocol.md §1.1). `ALL_PROXY` is not read.
 * - The `proxy` option replaces the variables for both schemes: a URL string, or `false` for
 *   no proxy at all. `NO_PROXY` still applies to a URL given this way, as it does for
 *   `@azure/identity`'s `proxyOptions`.
 * - Loopback and link-local hosts are never proxied, whatever the settings; nor are hosts
 *   `NO_PROXY` exempts.
 * - A proxy URL that cannot be used fails only the requests that would have gone through it,
 *   with a `proxy` transport failure naming the variable: a bad `HTTPS_PROXY` must not break
 *   IMDS, which never uses it.
 *
 * @since 0.1.0
 */
import type { Environment, TransportFailure } from '@azmi/core'
import { transportFailure } from '@azmi/core'
import type { Either } from 'fp-ts/lib/Either.js'
import { isLeft, left, right } from 'fp-ts/lib/Either.js'
import { isNeverProxied } from './hostAddress.js'
import type { NoProxyRule } from './noProxy.js'
import { matchesNoProxy, parseNoProxy } from './noProxy.js'
import type { ProxyEndpoint } from './proxyUrl.js'
import { parseProxyUrl } from './proxyUrl.js'

/** Where a transport takes its proxy settings from. */
export interface ProxyConfiguration {
  /**
   * The environment snapshot whose `HTTPS_PROXY`, `HTTP_PROXY` and `NO_PROXY` (either case)
   * apply. Default: none, so no variable is read; the credentials pass their own snapshot.
   */
  readonly env?: Environment | undefined
  /**
   * A proxy URL for every request (`http://[user:password@]host[:port]`), or `false` for no
   * proxy whatever the variables say. Never used for IMDS, loopback or link-local hosts.
   */
  readonly proxy?: string | false | undefined
}

/** The proxy for one scheme: none, a usable endpoint, or why the configured one is unusable. */
type SchemeProxy = Either<TransportFailure, ProxyEndpoint> | undefined

/** The settings of one transport, resolved once from its {@link ProxyConfiguration}. */
export interface ProxySettings {
  readonly https: SchemeProxy
  readonly http: SchemeProxy
  readonly noProxy: ReadonlyArray<NoProxyRule>
}

/** The first of `names` set in `env` (present and not `''`), with its value. */
const firstSet = (env: Environment, names: ReadonlyArray<string>): readonly [string, string] | undefined => {
  for (const name of names) {
    const value = env[name]
    if (value !== undefined && value !== '') return [name, value]
  }
  return undefined
}

const fromVariables = (env: Environment, names: ReadonlyArray<string>): SchemeProxy => {
  const found = firstSet(env, names)
  return found === undefined ? undefined : parseProxyUrl(found[1], found[0])
}

const fromOption = (proxy: unknown): SchemeProxy =>
  typeof proxy === 'string'
    ? parseProxyUrl(proxy, 'The proxy option')
    : left(transportFailure('proxy', 'The proxy option must be a proxy URL string or false.'))

/** Resolve `configuration` once; {@link proxyFor} then decides per request. */
export const resolveProxySettings = (configuration: ProxyConfiguration = {}): ProxySettings => {
  const env = configuration.env ?? {}
  const noProxy = parseNoProxy(firstSet(env, ['no_proxy', 'NO_PROXY'])?.[1])
  const { proxy } = configuration
  if (proxy === false) return { https: undefined, http: undefined, noProxy }
  if (proxy !== undefined) {
    const both = fromOption(proxy)
    return { https: both, http: both, noProxy }
  }
  return {
    https: fromVariables(env, ['https_proxy', 'HTTPS_PROXY']),
    http: fromVariables(env, ['http_proxy', 'HTTP_PROXY']),
    noProxy,
  }
}

/** The port a URL reaches: its own, or its scheme's default. */
const effectivePort = (url: URL): number =>
  url.port !== '' ? Number(url.port) : url.protocol === 'https:' ? 443 : 80

/**
 * The proxy `url` must go through (`right(undefined)`: none, connect directly), or the
 * failure of an unusable proxy setting that would have applied.
 */
export const proxyFor = (
  settings: ProxySettings,
  url: URL,
): Either<TransportFailure, ProxyEndpoint | undefined> => {
  const configured = url.protocol === 'https:' ? settings.https : settings.http
  if (configured === undefined || isNeverProxied(url.hostname)) return right(undefined)
  if (matchesNoProxy(settings.noProxy, url.hostname, effectivePort(url))) return right(undefined)
  return isLeft(configured) ? configured : right(configured.right)
}
