/**
 * `ManagedIdentityCredential` for Node.js: the core's credential with Node's capabilities,
 * reading `process.env` once, at construction, unless the caller passes `env`.
 *
 * @since 0.1.0
 */
import {
  type Environment,
  type LogEvent,
  ManagedIdentityCredentialBase,
  type ManagedIdentityOptions,
} from '@azmi/core'
import { type NodeCapabilities, nodeCapabilities } from './nodeCapabilities.js'

/** The options of node-io's {@link ManagedIdentityCredential}. */
export interface NodeCredentialOptions extends Omit<ManagedIdentityOptions, 'env'> {
  /** The environment to select a source from. Default: a snapshot of `process.env`. */
  readonly env?: Environment | undefined
  /** Receives structured, redacted events: source chosen, request sent, retry scheduled, token cached... */
  readonly logger?: ((event: LogEvent) => void) | undefined
  /**
   * The proxy for token requests (`http://[user:password@]host[:port]`), or `false` for none.
   * Default: `HTTPS_PROXY`/`HTTP_PROXY`/`NO_PROXY` (either case) of `env`. Never used for
   * IMDS, loopback or link-local hosts.
   */
  readonly proxy?: string | false | undefined
  /** Extra PEM CA certificates trusted for https endpoints (an emulator, a private authority host). */
  readonly ca?: string | ReadonlyArray<string> | undefined
  /** Reply bodies larger than this are refused. Default 1 MiB. */
  readonly maxResponseBytes?: number | undefined
}

/**
 * Authenticates with an Azure managed identity wherever this Node process runs. Satisfies
 * `@azure/core-auth`'s `TokenCredential`, so any Azure SDK client accepts it.
 *
 * @example
 * ```ts
 * import { ManagedIdentityCredential } from '@azmi/node-io'
 * const credential = new ManagedIdentityCredential({ clientId: process.env.MY_IDENTITY_CLIENT_ID })
 * const { token } = await credential.getToken('https://storage.azure.com/.default')
 * ```
 */
export class ManagedIdentityCredential extends ManagedIdentityCredentialBase {
  readonly #capabilities: NodeCapabilities

  constructor(options: NodeCredentialOptions = {}) {
    const env = options.env ?? { ...process.env }
    const capabilities = nodeCapabilities({
      env,
      ...(options.proxy !== undefined && { proxy: options.proxy }),
      ...(options.ca !== undefined && { ca: options.ca }),
      ...(options.maxResponseBytes !== undefined && { maxResponseBytes: options.maxResponseBytes }),
      ...(options.logger !== undefined && { log: options.logger }),
    })
    super({ ...options, env }, capabilities)
    this.#capabilities = capabilities
  }

  /** Close pooled keep-alive connections now. Optional: idle ones never keep the process alive. */
  close(): void {
    this.#capabilities.close()
  }
}
