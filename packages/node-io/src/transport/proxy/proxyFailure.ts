/**
 * The `proxy` transport failures, worded in one place (docs/protocol.md §1.6): each names
 * the proxy by `host:port` and nothing else, never its credentials nor what it answered.
 *
 * @since 0.1.0
 */
import type { TransportFailure } from '@azmi/core'
import { transportFailure } from '@azmi/core'
import type { ProxyEndpoint } from './proxyUrl.js'

/** `The proxy at host:port {detail}.` */
export const proxyFailure = (proxy: ProxyEndpoint, detail: string): TransportFailure =>
  transportFailure('proxy', `The proxy at ${proxy.label} ${detail}.`)

/** The proxy answered 407: say whether credentials were sent, so the fix is clear. */
export const credentialsWanted = (proxy: ProxyEndpoint): TransportFailure =>
  proxyFailure(
    proxy,
    `asks for credentials (407) ${
      proxy.authorization === undefined
        ? 'and the proxy URL has none'
        : 'and refused the ones in the proxy URL'
    }`,
  )
