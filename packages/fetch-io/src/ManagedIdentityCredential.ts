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
  wrongOption,
} from '@azmi/core'
import * as E from 'fp-ts/lib/Either.js'
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
  /**
   * The Azure Arc agent's `himds` binary exists on this host (fetch-io cannot look). Default
   * false. Needs `platform: { os: 'linux' }` or `{ os: 'win32' }`.
   */
  readonly arcAgentInstalled?: boolean | undefined
  /** Requests in flight to IMDS at once, shared by every credential of this runtime. Default 5. */
  readonly maxConcurrentRequests?: number | undefined
  /** A limiter of your own for IMDS requests (one shared between processes, say). */
  readonly imdsLimiter?: ConcurrencyLimiter | undefined
}

const isFunction = optionalOption((value) => typeof value === 'function')
const positiveInteger = optionalOption((value) => Number.isInteger(value) && (value as number) > 0)

/** fetch-io's own options, checked as the core checks its own; `env` is required. */
const FETCH_RULES: ReadonlyArray<OptionRule> = [
  [
    'env',
    (value) => typeof value === 'object' && value !== null,
    "the environment's variables (a Worker's env, Deno.env.toObject(), process.env)",
  ],
  ['fetch', isFunction, 'a fetch function'],
  ['send', isFunction, 'a send function (a transport)'],
  ['readFile', isFunction, 'a readFile function (denoReadFile, bunReadFile or your own)'],
  [
    'platform',
    optionalOption((value) => typeof (value as { os?: unknown })?.os === 'string'),
    "a Platform, such as { os: 'linux' }",
  ],
  ['arcAgentInstalled', optionalOption((value) => typeof value === 'boolean'), 'true or false'],
  ['maxResponseBytes', positiveInteger, 'a whole number of bytes above 0'],
  ['maxConcurrentRequests', positiveInteger, 'a whole number above 0'],
  [
    'imdsLimiter',
    optionalOption((value) => typeof (value as { acquire?: unknown })?.acquire === 'function'),
    'a ConcurrencyLimiter',
  ],
]

/** The constructor's arguments as checked options; throws a configuration error. */
const optionsOf = (first: unknown, second: unknown): FetchCredentialOptions => {
  const options = shellArguments(first, second, FETCH_RULES)
  if (E.isLeft(options)) throw toThrown(options.left)
  const checked = options.right as unknown as FetchCredentialOptions
  // The agent's key directory depends on the operating system, which fetch-io cannot see: on
  // the default platform `{ os: 'other' }` the flag would select nothing, silently.
  const os = checked.platform?.os
  if (checked.arcAgentInstalled === true && os !== 'linux' && os !== 'win32')
    throw toThrown(
      wrongOption(
        'platform',
        "{ os: 'linux' } or { os: 'win32' } with arcAgentInstalled (the agent's key directory depends on it)",
      ),
    )
  return checked
}

const capabilitiesOf = (options: FetchCredentialOptions): Capabilities => {
  const log = loggerFor(options.logger, options.env, (line) => console.error(line.trimEnd()))
  const capabilities = fetchCapabilities({
    ...(options.fetch !== undefined && { fetch: options.fetch }),
    ...(options.readFile !== undefined && { readFile: options.readFile }),
    ...(options.platform !== undefined && { platform: options.platform }),
    ...(options.arcAgentInstalled !== undefined && { arcAgentInstalled: options.arcAgentInstalled }),
    ...(options.imdsLimiter !== undefined && { imdsLimiter: options.imdsLimiter }),
    ...(options.maxConcurrentRequests !== undefined && {
      maxConcurrentRequests: options.maxConcurrentRequests,
    }),
    ...(log !== undefined && { log }),
    ...(options.maxResponseBytes !== undefined && { maxResponseBytes: options.maxResponseBytes }),
  })
  return options.send === undefined ? capabilities : { ...capabilities, send: options.send }
}

/**
 * Authenticates with an Azure managed identity over `fetch`. Satisfies `@azure/core-auth`'s
 * `TokenCredential`. Both of `@azure/identity`'s constructor forms are accepted:
 * `new ManagedIdentityCredential('<client id>', { env })` and `new ManagedIdentityCredential({ env })`.
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
  /** A user-assigned identity named by its client id, as `@azure/identity` takes it. */
  constructor(clientId: string, options: FetchCredentialOptions)
  /** The system-assigned identity, or the user-assigned one the options name. */
  constructor(options: FetchCredentialOptions)
  constructor(first: string | FetchCredentialOptions, second?: FetchCredentialOptions) {
    const options = optionsOf(first, second)
    super(options, capabilitiesOf(options))
  }
}
