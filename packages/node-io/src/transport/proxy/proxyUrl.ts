/**
 * A proxy URL, from `HTTPS_PROXY`/`HTTP_PROXY` or the `proxy` option, checked and reduced to
 * what the transport needs: where to connect and, when the URL carries credentials, the
 * `Proxy-Authorization` value (docs/protocol.md §1.6).
 *
 * Only `http://` proxies are supported. The connection to the proxy is plain TCP; what runs
 * inside a CONNECT tunnel is the endpoint's own TLS, verified end to end, so an `https://`
 * proxy would only hide the target's name from the network, at the price of a second TLS
 * stack and a second trust decision (whose CA verifies the proxy?). It is refused with a
 * message saying so rather than silently used as `http://`.
 *
 * @since 0.1.0
 */
import type { TransportFailure } from '@azmi/core'
import { transportFailure } from '@azmi/core'
import type { Either } from 'fp-ts/lib/Either.js'
import { left, right } from 'fp-ts/lib/Either.js'

/** Where a proxy listens, and how to authenticate to it. */
export interface ProxyEndpoint {
  /** Host name or address to connect to (an IPv6 address without brackets). */
  readonly host: string
  readonly port: number
  /** `host:port` (IPv6 bracketed) for messages: never the credentials. */
  readonly label: string
  /** `Basic …` built from the URL's userinfo, or `undefined` when it has none. A secret. */
  readonly authorization: string | undefined
}

/** An `http://` URL without an explicit port means port 80, as in the URL standard and undici. */
const HTTP_PORT = 80

const parseUrl = (text: string): URL | undefined => {
  try {
    return new URL(text)
  } catch {
    return undefined
  }
}

const decodeComponent = (text: string): string | undefined => {
  try {
    return decodeURIComponent(text)
  } catch {
    return undefined
  }
}

/** The value is never echoed: it may carry a password. `setting` names where it came from. */
const unusable = (setting: string, why: string): TransportFailure =>
  transportFailure(
    'proxy',
    `${setting} is not a usable proxy URL: ${why}. (The value is not shown: it may hold credentials.)`,
  )

/** `Basic base64(user:password)` from the percent-decoded userinfo, as curl and undici send it. */
const authorizationOf = (url: URL, setting: string): Either<TransportFailure, string | undefined> => {
  if (url.username === '' && url.password === '') return right(undefined)
  const username = decodeComponent(url.username)
  const password = decodeComponent(url.password)
  if (username === undefined || password === undefined) {
    return left(unusable(setting, 'its credentials are not valid percent-encoding'))
  }
  return right(`Basic ${Buffer.from(`${username}:${password}`, 'utf8').toString('base64')}`)
}

/**
 * Parse `value` (the text of `setting`). A value without a scheme, such as `proxy.corp:3128`,
 * means `http://`, as curl reads it. A path, query or fragment is ignored.
 */
export const parseProxyUrl = (value: string, setting: string): Either<TransportFailure, ProxyEndpoint> => {
  const trimmed = value.trim()
  const url = parseUrl(trimmed.includes('://') ? trimmed : `http://${trimmed}`)
  if (url === undefined || url.hostname === '') return left(unusable(setting, 'it is not a URL with a host'))
  if (url.protocol === 'https:') {
    return left(
      unusable(
        setting,
        'https:// proxies are not supported; use the http:// URL of the proxy (the tunnel to the endpoint is TLS either way)',
      ),
    )
  }
  if (url.protocol !== 'http:') return left(unusable(setting, 'only http:// proxies are supported'))
  const authorization = authorizationOf(url, setting)
  if (authorization._tag === 'Left') return authorization
  const port = url.port === '' ? HTTP_PORT : Number(url.port)
  return right({
    host: url.hostname.replace(/^\[(.*)\]$/, '$1'),
    port,
    label: `${url.hostname}:${port}`,
    authorization: authorization.right,
  })
}
