/**
 * Everything the core needs, around a pipeline `HttpClient`, and the credential built on it:
 * one short file that wires real effects, as the shells do. Runtime-neutral (no `node:`
 * import): the clock is `Date.now` and fetch-io's `sleep` (any length, unref'd for background
 * work), request ids and SHA-256 come from Web
 * Crypto, and files are read only through a `readFile` the caller passes (on Node,
 * `readRegularFile` from `@azmi/node-io`), since reading the Arc key or a federated token
 * safely is a shell's job, not an HTTP client's.
 *
 * @since 0.1.0
 */
import {
  type Capabilities,
  type LogEvent,
  ManagedIdentityCredentialBase,
  type ManagedIdentityOptions,
  type Platform,
} from '@azmi/core'
import { sharedImdsLimiter, sleep } from '@azmi/fetch-io'
import { createDefaultHttpClient, type HttpClient } from '@azure/core-rest-pipeline'
import { type PipelineSendOptions, pipelineSend } from './pipelineSend.js'

/** Options of {@link pipelineCapabilities}: the transport's, and the effects only the caller can supply. */
export interface PipelineCapabilitiesOptions extends PipelineSendOptions {
  /** How to read the Arc key and the federated token file. Without it, those sources are unavailable. */
  readonly readFile?: Capabilities['readFile'] | undefined
  /** Where the code runs, for Arc's key-directory rule. Default: from `process.platform` when there is one, else `{ os: 'other' }`. */
  readonly platform?: Platform | undefined
  /** Receives the core's structured, already redacted events. */
  readonly log?: ((event: LogEvent) => void) | undefined
}

const hostPlatform = (): Platform => {
  const os = typeof process === 'undefined' ? undefined : process.platform
  if (os === 'linux') return { os: 'linux' }
  if (os !== 'win32') return { os: 'other' }
  const { ProgramData, ProgramFiles } = process.env
  return {
    os: 'win32',
    ...(ProgramData === undefined ? {} : { programData: ProgramData }),
    ...(ProgramFiles === undefined ? {} : { programFiles: ProgramFiles }),
  }
}

const hexOf = (buffer: ArrayBuffer): string =>
  [...new Uint8Array(buffer)].map((byte) => byte.toString(16).padStart(2, '0')).join('')

/**
 * `Capabilities` whose `send` is {@link pipelineSend} over `httpClient`, with a real clock,
 * Web Crypto's `randomUUID` and SHA-256, and the process-wide IMDS limiter.
 */
export const pipelineCapabilities = (
  httpClient: HttpClient,
  options: PipelineCapabilitiesOptions = {},
): Capabilities => ({
  send: pipelineSend(httpClient, options),
  now: () => Date.now(),
  sleep,
  // the watchdog stays on real time even when a test swaps `sleep` for a virtual clock
  timer: sleep,
  random: () => Math.random(),
  platform: options.platform ?? hostPlatform(),
  uuid: () => crypto.randomUUID(),
  sha256: async (text) => hexOf(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text))),
  // the runtime's one IMDS limiter, shared with fetch-io's credentials (docs/protocol.md §5.1)
  imdsLimiter: sharedImdsLimiter(),
  ...(options.readFile === undefined ? {} : { readFile: options.readFile }),
  ...(options.log === undefined ? {} : { log: options.log }),
})

/** Options of {@link PipelineManagedIdentityCredential}: the core's credential options and the capabilities'. */
export interface PipelineCredentialOptions extends ManagedIdentityOptions, PipelineCapabilitiesOptions {
  /** The client to send with. Default: `createDefaultHttpClient()`. */
  readonly httpClient?: HttpClient | undefined
}

/**
 * A `TokenCredential` (`getToken`, throwing azmi's `@azure/identity`-named errors) whose
 * requests go through an Azure pipeline `HttpClient`. `env` is required: the credential reads
 * no environment of its own.
 *
 * @example
 * ```ts
 * import { PipelineManagedIdentityCredential } from '@azmi/azure-pipeline'
 *
 * const credential = new PipelineManagedIdentityCredential({ env: { ...process.env } })
 * const { token } = await credential.getToken('https://vault.azure.net/.default')
 * ```
 */
export class PipelineManagedIdentityCredential extends ManagedIdentityCredentialBase {
  /** Option mistakes (two ids, an empty id) throw here; environment problems surface from `getToken`. */
  constructor(options: PipelineCredentialOptions) {
    super(options, pipelineCapabilities(options.httpClient ?? createDefaultHttpClient(), options))
  }
}
