/**
 * Which requests go through the caller's proxy, and how (docs/protocol.md §1.6).
 *
 * With `proxySettings` (the same `ProxySettings` a library hands its own pipeline as
 * `proxyOptions`), a request is sent through a pipeline holding only the SDK's own
 * `proxyPolicy`, so it gets the same proxy agents the library's other requests get; no other
 * policy runs (no redirect, retry or logging policy: those are the core's business or would
 * break its rules). Loopback and link-local hosts — IMDS at 169.254.169.254, the App Service,
 * Arc and Azure ML endpoints on 127.0.0.1 — are never proxied, whatever the settings say:
 * Microsoft's IMDS documentation requires clients to bypass proxies, and a proxy could only
 * misroute a local endpoint's secret.
 *
 * @since 0.1.0
 */
import {
  createEmptyPipeline,
  type HttpClient,
  type PipelineRequest,
  type PipelineResponse,
  type ProxySettings,
  proxyPolicy,
} from '@azure/core-rest-pipeline'

/** How to send one pipeline request, and whether it goes through a proxy. */
export interface Router {
  /** Whether a request to `url` is sent through the proxy. */
  readonly proxied: (url: string) => boolean
  /** Send `request` the way {@link Router.proxied} says. */
  readonly send: (request: PipelineRequest) => Promise<PipelineResponse>
}

const bare = (host: string): string => host.replace(/^\[(.*)\]$/, '$1').toLowerCase()

/** `127.0.0.0/8`, `::1`, `localhost`, `169.254.0.0/16` and `fe80::/10`: hosts no proxy ever sees. */
export const isLocalHost = (hostname: string): boolean => {
  const host = bare(hostname)
  if (host === 'localhost' || host.endsWith('.localhost') || host === '::1') return true
  if (/^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host) || /^169\.254\.\d{1,3}\.\d{1,3}$/.test(host)) return true
  return /^fe[89ab][0-9a-f]?:/.test(host)
}

/** Options of {@link createRouter}. */
export interface RouterOptions {
  /** The proxy for non-local hosts; without it, every request goes straight to the client. */
  readonly proxySettings?: ProxySettings | undefined
  /** Host names (a leading `.` matches subdomains too) that bypass the proxy, as in `NO_PROXY`. */
  readonly noProxy?: ReadonlyArray<string> | undefined
}

/** A router over `httpClient`: straight to the client, or through the SDK's proxy policy. */
export const createRouter = (httpClient: HttpClient, options: RouterOptions): Router => {
  const { proxySettings } = options
  if (proxySettings === undefined) {
    return { proxied: () => false, send: (request) => httpClient.sendRequest(request) }
  }
  const pipeline = createEmptyPipeline()
  // `customNoProxyList` keeps the policy off `process.env.NO_PROXY`: the caller says what bypasses.
  pipeline.addPolicy(proxyPolicy(proxySettings, { customNoProxyList: [...(options.noProxy ?? [])] }))
  const noProxy = (options.noProxy ?? []).map((entry) => entry.toLowerCase())
  const bypassed = (hostname: string): boolean =>
    noProxy.some((entry) =>
      entry.startsWith('.') ? hostname.endsWith(entry) || hostname === entry.slice(1) : hostname === entry,
    )
  const proxied = (url: string): boolean => {
    const { hostname } = new URL(url)
    return !isLocalHost(hostname) && !bypassed(bare(hostname))
  }
  return {
    proxied,
    send: (request) =>
      proxied(request.url) ? pipeline.sendRequest(httpClient, request) : httpClient.sendRequest(request),
  }
}
