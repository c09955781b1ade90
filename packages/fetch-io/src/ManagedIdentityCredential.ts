/**
 * `ManagedIdentityCredential` for runtimes with `fetch` but no Node `http`: Cloudflare Workers,
 * Deno, Bun, and Node 18+ when a fetch-based transport is preferred.
 *
 * The environment comes from the caller (a Worker's `env`, `Deno.env.toObject()`,
 * `process.env`): fetch-io never reads a global for it.
 *
 * @since 0.1.0
 */
import {
  type Capabilities,
  type Environment,
  type LogEvent,
  ManagedIdentityCredentialBase,
  type ManagedIdentityOptions,
  type Platform,
} from '@azmi/core'
import { fetchCapabilities } from './fetchCapabilities.js'
import type { ReadFile } from './files/readRegularFile.js'

/** The options of fetch-io's {@link ManagedIdentityCredential}. */
export interface FetchCredentialOptions extends Omit<ManagedIdentityOptions, 'env'> {
  /** The variables that describe the hosting environment. */
  readonly env: Environment
  /** The fetch to send requests with. Default: `globalThis.fetch`, looked up at each send. */
  readonly fetch?: typeof fetch | undefined
  /**
   * A transport to use instead of fetch, e.g. one that pins Service Fabric's certificate
   * (plain fetch cannot, so Service Fabric is refused without one).
   */
  readonly send?: Capabilities['send'] | undefined
  /** Reads the Arc key and the federated token file: `denoReadFile`, `bunReadFile`, or your own. */
  readonly readFile?: ReadFile | undefined
  /** For Arc's key-directory rule. Default `{ os: 'other' }`. */
  readonly platform?: Platform | undefined
  /** Receives structured, redacted events; a throwing logger is ignored. */
  readonly logger?: ((event: LogEvent) => void) | undefined
  /** Reply bodies larger than this are refused. Default 1 MiB. */
  readonly maxResponseBytes?: number | undefined
}

/**
 * Authenticates with an Azure managed identity over `fetch`. Satisfies `@azure/core-auth`'s
 * `TokenCredential`.
 *
 * @example
 * ```ts
 * import { ManagedIdentityCredential } from '@azmi/fetch-io'
 * export default {
 *   async fetch(request: Request, env: Record<string, string>) {
 *     const credential = new ManagedIdentityCredential({ env })
 *     const { token } = await credential.getToken('https://storage.azure.com/.default')
 *     return new Response(`got a token of ${token.length} characters`)
 *   },
 * }
 * ```
 */
export class ManagedIdentityCredential extends ManagedIdentityCredentialBase {
  constructor(options: FetchCredentialOptions) {
    const capabilities = fetchCapabilities({
      ...(options.fetch !== undefined && { fetch: options.fetch }),
      ...(options.readFile !== undefined && { readFile: options.readFile }),
      ...(options.platform !== undefined && { platform: options.platform }),
      ...(options.logger !== undefined && { log: options.logger }),
      ...(options.maxResponseBytes !== undefined && { maxResponseBytes: options.maxResponseBytes }),
    })
    super(options, options.send === undefined ? capabilities : { ...capabilities, send: options.send })
  }
}
