/**
 * The one place that wires fetch-io's real effects into the `Capabilities` the core needs.
 *
 * @since 0.1.0
 */
import { type Capabilities, type ConcurrencyLimiter, createLimiterRegistry, type Platform } from '@azmi/core'
import { now, random, sleep } from './clock.js'
import type { ReadFile } from './files/readRegularFile.js'
import { createFetchTransport } from './transport/createFetchTransport.js'

/** Options of {@link fetchCapabilities}; every one has a default. */
export interface FetchCapabilitiesOptions {
  /** The fetch to send requests with. Default: `globalThis.fetch`, looked up at each send. */
  readonly fetch?: typeof fetch
  /** Largest reply body accepted, in bytes. Default 1 MiB. */
  readonly maxResponseBytes?: number
  /**
   * How to read files (the Arc key, the federated token file): `denoReadFile`,
   * `bunReadFile` from `@azmi/fetch-io/bun`, or your own. Without it, sources that read files
   * fail as unsupported on this runtime.
   */
  readonly readFile?: ReadFile
  /** Receives the core's structured, already redacted events. */
  readonly log?: Capabilities['log']
  /**
   * Where the code runs, for Arc's key-directory rule. Default `{ os: 'other' }`: the web has
   * no operating system to ask, so pass `{ os: 'linux' }` on a Linux Deno or Bun host.
   */
  readonly platform?: Platform
  /**
   * The Azure Arc agent is installed on this host (its `himds` binary exists): fetch-io cannot
   * look, so the caller says (docs/protocol.md §2.4). Default false.
   */
  readonly arcAgentInstalled?: boolean
  /** The limiter for IMDS requests. Default: this runtime's, for `maxConcurrentRequests`. */
  readonly imdsLimiter?: ConcurrencyLimiter
  /** Requests in flight to IMDS at once, across this runtime. Default 5. */
  readonly maxConcurrentRequests?: number
}

/**
 * This runtime's IMDS limiter for a limit (default 5): one per limit, shared by every
 * credential, paced to 18 starts a second (docs/protocol.md §5.1). Its waits never keep the
 * process alive.
 */
export const sharedImdsLimiter = createLimiterRegistry({
  now: () => performance.now(),
  wait: (ms) => sleep(ms, undefined, { background: true }),
})

const HEX = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, '0'))

/** Lowercase hex SHA-256 over Web Crypto (Service Fabric revocation). */
const sha256 = async (text: string): Promise<string> => {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text))
  return Array.from(new Uint8Array(digest), (byte) => HEX[byte]).join('')
}

/**
 * `Capabilities` over web-standard APIs: fetch for `send`, `Date.now`, `setTimeout` and
 * `Math.random` for the clock, `crypto.randomUUID` and Web Crypto's SHA-256, this runtime's
 * IMDS limiter, and whatever `readFile` the caller injects.
 *
 * @example
 * ```ts
 * import { fetchCapabilities } from '@azmi/fetch-io'
 *
 * const capabilities = fetchCapabilities({ log: (event) => console.debug(event) })
 * ```
 */
export const fetchCapabilities = (options: FetchCapabilitiesOptions = {}): Capabilities => ({
  send: createFetchTransport({
    ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
    ...(options.maxResponseBytes === undefined ? {} : { maxResponseBytes: options.maxResponseBytes }),
  }).send,
  now,
  sleep,
  // the watchdog stays on real time even when a test swaps `sleep` for a virtual clock
  timer: sleep,
  random,
  uuid: () => crypto.randomUUID(),
  sha256,
  imdsLimiter: options.imdsLimiter ?? sharedImdsLimiter(options.maxConcurrentRequests),
  platform: {
    ...(options.platform ?? { os: 'other' }),
    ...(options.arcAgentInstalled === true && { arcAgentInstalled: true }),
  },
  ...(options.readFile === undefined ? {} : { readFile: options.readFile }),
  ...(options.log === undefined ? {} : { log: options.log }),
})
