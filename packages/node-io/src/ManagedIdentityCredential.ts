/**
 * `ManagedIdentityCredential` for Node.js: the core's credential with Node's capabilities,
 * reading `process.env` once, at construction, unless the caller passes `env`. Both of
 * `@azure/identity`'s constructor forms are accepted (docs/protocol.md §1.3).
 *
 * @since 0.1.0
 */
import {
  type ConcurrencyLimiter,
  type Environment,
  type LogEvent,
  loggerFor,
  ManagedIdentityCredentialBase,
  type ManagedIdentityOptions,
  type OptionRule,
  optionalOption,
  type Platform,
  shellArguments,
  toThrown,
} from '@azmi/core'
import * as E from 'fp-ts/lib/Either.js'
import { type NodeCapabilities, nodeCapabilities } from './nodeCapabilities.js'

/** The options of node-io's {@link ManagedIdentityCredential}. */
export interface NodeCredentialOptions extends Omit<ManagedIdentityOptions, 'env'> {
  /** The environment to select a source from. Default: a snapshot of `process.env`. */
  readonly env?: Environment | undefined
  /**
   * Receives structured, redacted events: source chosen, request sent, retry scheduled, token
   * cached... A throwing logger is ignored. Without one, `AZURE_LOG_LEVEL` in `env` turns on
   * `@azure/logger`-style lines on stderr.
   */
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
  /** Requests in flight to IMDS at once, shared by every credential of the process. Default 5. */
  readonly maxConcurrentRequests?: number | undefined
  /** A limiter of your own for IMDS requests (one shared between processes, say). */
  readonly imdsLimiter?: ConcurrencyLimiter | undefined
  /** The host facts (operating system, Arc agent). Default: this process's. */
  readonly platform?: Platform | undefined
}

type Checked = NodeCredentialOptions & { readonly env: Environment }

const positiveInteger = optionalOption((value) => Number.isInteger(value) && (value as number) > 0)
const isPem = (value: unknown) => typeof value === 'string'

/** node-io's own options, checked as the core checks its own. */
const NODE_RULES: ReadonlyArray<OptionRule> = [
  [
    'proxy',
    optionalOption((value) => value === false || typeof value === 'string'),
    'a proxy URL string, or false',
  ],
  [
    'ca',
    optionalOption((value) => isPem(value) || (Array.isArray(value) && value.every(isPem))),
    'a PEM certificate string or an array of them',
  ],
  ['maxResponseBytes', positiveInteger, 'a whole number of bytes above 0'],
  ['maxConcurrentRequests', positiveInteger, 'a whole number above 0'],
  [
    'imdsLimiter',
    optionalOption((value) => typeof (value as { acquire?: unknown })?.acquire === 'function'),
    'a ConcurrencyLimiter',
  ],
  [
    'platform',
    optionalOption((value) => typeof (value as { os?: unknown })?.os === 'string'),
    "a Platform, such as { os: 'linux' }",
  ],
]

/** The constructor's arguments as checked options with an environment; throws a configuration error. */
const optionsOf = (first: unknown, second: unknown): Checked => {
  const options = shellArguments(first, second, NODE_RULES)
  if (E.isLeft(options)) throw toThrown(options.left)
  const given = options.right as NodeCredentialOptions
  return { ...given, env: given.env ?? { ...process.env } }
}

const capabilitiesOf = (options: Checked): NodeCapabilities => {
  const log = loggerFor(options.logger, options.env, (line) => process.stderr.write(line))
  return nodeCapabilities({
    env: options.env,
    ...(options.proxy !== undefined && { proxy: options.proxy }),
    ...(options.ca !== undefined && { ca: options.ca }),
    ...(options.maxResponseBytes !== undefined && { maxResponseBytes: options.maxResponseBytes }),
    ...(options.maxConcurrentRequests !== undefined && {
      maxConcurrentRequests: options.maxConcurrentRequests,
    }),
    ...(options.imdsLimiter !== undefined && { imdsLimiter: options.imdsLimiter }),
    ...(options.platform !== undefined && { platform: options.platform }),
    ...(log !== undefined && { log }),
  })
}

/**
 * Authenticates with an Azure managed identity wherever this Node process runs. Satisfies
 * `@azure/core-auth`'s `TokenCredential`, so any Azure SDK client accepts it.
 *
 * @example
 * ```ts
 * import { ManagedIdentityCredential } from '@azmi/node-io'
 * // the system-assigned identity; or a user-assigned one: new ManagedIdentityCredential('<client id>')
 * const credential = new ManagedIdentityCredential()
 * const { token } = await credential.getToken('https://storage.azure.com/.default')
 * ```
 */
export class ManagedIdentityCredential extends ManagedIdentityCredentialBase {
  readonly #capabilities: NodeCapabilities

  /** A user-assigned identity named by its client id, as `@azure/identity` takes it. */
  constructor(clientId: string, options?: NodeCredentialOptions)
  /** The system-assigned identity, or the user-assigned one the options name. */
  constructor(options?: NodeCredentialOptions)
  constructor(first?: string | NodeCredentialOptions, second?: NodeCredentialOptions) {
    const options = optionsOf(first, second)
    const capabilities = capabilitiesOf(options)
    super(options, capabilities)
    this.#capabilities = capabilities
  }

  /** Close pooled keep-alive connections now. Optional: idle ones never keep the process alive. */
  close(): void {
    this.#capabilities.close()
  }
}
