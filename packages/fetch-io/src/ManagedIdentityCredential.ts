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
  credentialArguments,
  type Environment,
  type LogEvent,
  lineLogger,
  logLevelFrom,
  ManagedIdentityCredentialBase,
  type ManagedIdentityOptions,
  type Platform,
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
  /** The Azure Arc agent's `himds` binary exists on this host (fetch-io cannot look). Default false. */
  readonly arcAgentInstalled?: boolean | undefined
  /** Requests in flight to IMDS at once, shared by every credential of this runtime. Default 5. */
  readonly maxConcurrentRequests?: number | undefined
  /** A limiter of your own for IMDS requests (one shared between processes, say). */
  readonly imdsLimiter?: ConcurrencyLimiter | undefined
}

const isFunction = (value: unknown) => value === undefined || typeof value === 'function'
const positiveInteger = (value: unknown) => value === undefined || (Number.isInteger(value) && (value as number) > 0)

/** fetch-io's own options, checked as the core checks its own; `env` is required. */
const FETCH_RULES: ReadonlyArray<readonly [keyof FetchCredentialOptions, (value: unknown) => boolean, string]> = [
  ['env', (value) => typeof value === 'object' && value !== null, "the environment's variables (a Worker's env, Deno.env.toObject(), process.env)"],
  ['fetch', isFunction, 'a fetch function'],
  ['send', isFunction, 'a send function (a transport)'],
  ['readFile', isFunction, 'a readFile function (denoReadFile, bunReadFile or your own)'],
  ['platform', (value) => value === undefined || typeof (value as { os?: unknown })?.os === 'string', "a Platform, such as { os: 'linux' }"],
  ['arcAgentInstalled', (value) => value === undefined || typeof value === 'boolean', 'true or false'],
  ['maxResponseBytes', positiveInteger, 'a whole number of bytes above 0'],
  ['maxConcurrentRequests', positiveInteger, 'a whole number above 0'],
  ['imdsLimiter', (value) => value === undefined || typeof (value as { acquire?: unknown })?.acquire === 'function', 'a ConcurrencyLimiter'],
]

/** The constructor's arguments as checked options; throws a configuration error. */
const optionsOf = (first: unknown, second: unknown): FetchCredentialOptions => {
  const options = credentialArguments(first, second)
  if (E.isLeft(options)) throw toThrown(options.left)
  const wrong = FETCH_RULES.find(([name, check]) => !check(options.right[name]))
  if (wrong !== undefined) throw toThrown(wrongOption(wrong[0], wrong[2]))
  return options.right as unknown as FetchCredentialOptions
}

/** The logger: the caller's, or `@azure/logger` lines on `console.error` when `AZURE_LOG_LEVEL` asks for them. */
const loggerOf = (options: FetchCredentialOptions): ((event: LogEvent) => void) | undefined => {
  if (options.logger !== undefined) return options.logger
  const level = logLevelFrom(options.env)
  return level === undefined ? undefined : lineLogger(level, (line) => console.error(line.trimEnd()))
}

const capabilitiesOf = (options: FetchCredentialOptions): Capabilities => {
  const log = loggerOf(options)
  const capabilities = fetchCapabilities({
    ...(options.fetch !== undefined && { fetch: options.fetch }),
    ...(options.readFile !== undefined && { readFile: options.readFile }),
    ...(options.platform !== undefined && { platform: options.platform }),
    ...(options.arcAgentInstalled !== undefined && { arcAgentInstalled: options.arcAgentInstalled }),
    ...(options.imdsLimiter !== undefined && { imdsLimiter: options.imdsLimiter }),
    ...(options.maxConcurrentRequests !== undefined && { maxConcurrentRequests: options.maxConcurrentRequests }),
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
