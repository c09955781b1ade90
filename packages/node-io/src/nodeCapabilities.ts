/**
 * The real capabilities of a Node process, wired in one place.
 *
 * @since 0.1.0
 */
import {
  type Capabilities,
  type ConcurrencyLimiter,
  createLimiterRegistry,
  type LogEvent,
  type Platform,
  uuidFromRandom,
} from '@azmi/core'
import { readRegularFile } from './file/readRegularFile.js'
import { nodePlatform } from './platform.js'
import { sleep } from './sleep.js'
import type { NodeTransportOptions } from './transport/createNodeTransport.js'
import { createNodeTransport } from './transport/createNodeTransport.js'
import { loadCrypto } from './transport/httpsBuiltins.js'

/** Options of {@link nodeCapabilities}: the transport's, plus where to send log events and the IMDS limit. */
export interface NodeCapabilitiesOptions extends NodeTransportOptions {
  /** Receives the core's structured, already redacted events. */
  readonly log?: (event: LogEvent) => void
  /** The limiter for IMDS requests. Default: this process's, for `maxConcurrentRequests`. */
  readonly imdsLimiter?: ConcurrencyLimiter
  /** Requests in flight to IMDS at once, across the process (docs/protocol.md §5.1). Default 5. */
  readonly maxConcurrentRequests?: number
  /** The host facts. Default: this process's ({@link nodePlatform}). */
  readonly platform?: Platform
}

/** `Capabilities` backed by Node, plus `close` for the transport's pooled connections. */
export interface NodeCapabilities extends Capabilities {
  /** Close pooled connections now (optional: idle ones never keep the process alive). */
  readonly close: () => void
}

/**
 * This process's IMDS limiter for a limit (default 5): one per limit, shared by every
 * credential, paced to 18 starts a second (docs/protocol.md §5.1). Its waits never keep the
 * process alive.
 */
export const processImdsLimiter = createLimiterRegistry({
  now: () => performance.now(),
  wait: (ms) => sleep(ms, undefined, { background: true }),
})

/** Lowercase hex SHA-256 of `text`'s UTF-8 bytes (Service Fabric revocation). */
const sha256 = (text: string): Promise<string> =>
  Promise.resolve(loadCrypto().createHash('sha256').update(text, 'utf8').digest('hex'))

/**
 * Capabilities for the core: `node:http`/`node:https` transport with pinning and proxies, safe
 * file reads, real timers, `Date.now`, `Math.random` (also for request ids), SHA-256, the
 * process's IMDS limiter and the host's facts.
 */
export const nodeCapabilities = (options: NodeCapabilitiesOptions = {}): NodeCapabilities => {
  const transport = createNodeTransport(options)
  return {
    send: transport.send,
    readFile: readRegularFile,
    now: () => Date.now(),
    sleep,
    // the watchdog stays on real time even when a test swaps `sleep` for a virtual clock
    timer: sleep,
    random: () => Math.random(),
    // a request id must be unique, not unpredictable: loading Node's crypto for `randomUUID`
    // made the first token about 2 ms slower
    uuid: () => uuidFromRandom(Math.random),
    sha256,
    imdsLimiter: options.imdsLimiter ?? processImdsLimiter(options.maxConcurrentRequests),
    platform: options.platform ?? nodePlatform(),
    close: transport.close,
    ...(options.log === undefined ? {} : { log: options.log }),
  }
}
