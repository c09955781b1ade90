/**
 * The real capabilities of a Node process, wired in one place.
 *
 * @since 0.1.0
 */
import type { Capabilities, LogEvent } from '@azmi/core'
import { readRegularFile } from './file/readRegularFile.js'
import { nodePlatform } from './platform.js'
import { sleep } from './sleep.js'
import type { NodeTransportOptions } from './transport/createNodeTransport.js'
import { createNodeTransport } from './transport/createNodeTransport.js'

/** Options of {@link nodeCapabilities}: the transport's, plus where to send log events. */
export interface NodeCapabilitiesOptions extends NodeTransportOptions {
  /** Receives the core's structured, already redacted events. */
  readonly log?: (event: LogEvent) => void
}

/** `Capabilities` backed by Node, plus `close` for the transport's pooled connections. */
export interface NodeCapabilities extends Capabilities {
  /** Close pooled connections now (optional: idle ones never keep the process alive). */
  readonly close: () => void
}

/**
 * Capabilities for the core: `node:http`/`node:https` transport with pinning, safe file reads,
 * real timers, `Date.now`, `Math.random` and the current platform.
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
    platform: nodePlatform(),
    close: transport.close,
    ...(options.log === undefined ? {} : { log: options.log }),
  }
}
