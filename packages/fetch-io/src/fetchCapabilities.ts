/**
 * The one place that wires fetch-io's real effects into the `Capabilities` the core needs.
 *
 * @since 0.1.0
 */
import type { Capabilities, Platform } from '@azmi/core'
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
}

/**
 * `Capabilities` over web-standard APIs: fetch for `send`, `Date.now`, `setTimeout` and
 * `Math.random` for the clock, and whatever `readFile` the caller injects.
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
  platform: options.platform ?? { os: 'other' },
  ...(options.readFile === undefined ? {} : { readFile: options.readFile }),
  ...(options.log === undefined ? {} : { log: options.log }),
})
