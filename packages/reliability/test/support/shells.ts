/**
 * The two shells under test, built the way an application builds them, plus a logger that
 * keeps every event so a test can inspect (and scan) what the credential reported.
 *
 * `credentialFor` uses each package's public `ManagedIdentityCredential`. `baseCredentialFor`
 * builds the core's `ManagedIdentityCredentialBase` over the same shell's real capabilities
 * with a different clock, for the cases that must cross minutes or hours of credential time;
 * `baseCredentialWith` replaces any other capability the same way (a file reader that never
 * settles, say), for what a public constructor does not let a caller inject.
 */
import {
  type Capabilities,
  type Environment,
  type LogEvent,
  ManagedIdentityCredentialBase,
  type ManagedIdentityOptions,
  type Platform,
  type TokenOptions,
} from '@azmi/core'
import { ManagedIdentityCredential as FetchCredential, fetchCapabilities } from '@azmi/fetch-io'
import {
  ManagedIdentityCredential as NodeCredential,
  nodeCapabilities,
  nodePlatform,
  readRegularFile,
} from '@azmi/node-io'
import { type Clock, caTrustingFetchPerFile } from '@azmi/test-support'

export type Shell = 'node-io' | 'fetch-io'
export const shells: ReadonlyArray<Shell> = ['node-io', 'fetch-io']

/** What `getToken` resolves with (`@azure/core-auth`'s `AccessToken`). */
export type Token = Awaited<ReturnType<ManagedIdentityCredentialBase['getToken']>>

/** What every test calls: the `TokenCredential` surface. */
export interface TokenGetter {
  getToken(scopes: string | string[], options?: TokenOptions): Promise<Token>
}

export interface Harness {
  readonly credential: TokenGetter
  /** Every event the credential logged, in order. */
  readonly events: LogEvent[]
  /** Let go of the credential's connections (node-io's pool; nothing for fetch-io). */
  readonly close: () => void
}

/** What the host gives fetch-io besides `fetch` (node-io always has both). */
export interface FetchHost {
  /** `false`: no `readFile`; a function: that reader (by default node-io's reader). */
  readonly readFile?: false | Capabilities['readFile']
  /** A `send` that replaces fetch-io's fetch transport (node-io's, to pin Service Fabric). */
  readonly send?: Capabilities['send']
}

export interface HarnessOptions extends Omit<ManagedIdentityOptions, 'env'> {
  readonly env: Environment
  /** PEM of a CA to trust for https endpoints (the emulated Entra ID). */
  readonly ca?: string
  /** The most bytes of a reply either shell reads. */
  readonly maxResponseBytes?: number
  /** Sees each event as it is logged; what it returns or throws is the logger's own. */
  readonly onEvent?: (event: LogEvent) => unknown
  /** fetch-io only: what its host provides. */
  readonly host?: FetchHost
  /** The host facts both shells are given (default: this process's), e.g. a Windows machine. */
  readonly platform?: Platform
}

/** One CA-trusting fetch per CA for the whole test file, closed when it ends. */
const fetchTrusting = caTrustingFetchPerFile()

const recorder = (options: HarnessOptions) => {
  const events: LogEvent[] = []
  // kept first, then handed on: what `onEvent` returns (a promise, say) is the logger's result
  const logger = (event: LogEvent) => {
    events.push(event)
    return options.onEvent?.(event)
  }
  return { events, logger }
}

const credentialOptions = (options: HarnessOptions): ManagedIdentityOptions => {
  const {
    ca: _ca,
    onEvent: _onEvent,
    host: _host,
    maxResponseBytes: _max,
    platform: _platform,
    ...rest
  } = options
  return rest
}

/** What fetch-io is given on Node: node-io's file reader, Node's platform, a CA-trusting fetch. */
const fetchHost = ({ ca, host = {}, maxResponseBytes, platform }: HarnessOptions) => ({
  ...(host.readFile === false ? {} : { readFile: host.readFile ?? readRegularFile }),
  ...(host.send === undefined ? {} : { send: host.send }),
  ...(maxResponseBytes === undefined ? {} : { maxResponseBytes }),
  platform: platform ?? nodePlatform(),
  ...(ca === undefined ? {} : { fetch: fetchTrusting(ca) }),
})

/** The shell's public `ManagedIdentityCredential`, as an application would create it. */
export const credentialFor = (shell: Shell, options: HarnessOptions): Harness => {
  const { events, logger } = recorder(options)
  const common = { ...credentialOptions(options), logger }
  if (shell === 'node-io') {
    const { ca, maxResponseBytes, platform } = options
    const credential = new NodeCredential({
      ...common,
      ...(ca === undefined ? {} : { ca }),
      ...(maxResponseBytes === undefined ? {} : { maxResponseBytes }),
      ...(platform === undefined ? {} : { platform }),
    })
    return { credential, events, close: () => credential.close() }
  }
  // fetch-io reads files only through what the caller injects: on Node, node-io's reader
  const credential = new FetchCredential({ ...common, ...fetchHost(options) })
  return { credential, events, close: () => undefined }
}

/** The shell's real capabilities, logging into `logger`. */
export const capabilitiesFor = (
  shell: Shell,
  options: { readonly ca?: string | undefined; readonly logger: (event: LogEvent) => void },
): Capabilities =>
  shell === 'node-io'
    ? nodeCapabilities({ log: options.logger, ...(options.ca === undefined ? {} : { ca: options.ca }) })
    : fetchCapabilities({
        log: options.logger,
        readFile: readRegularFile,
        platform: nodePlatform(),
        ...(options.ca === undefined ? {} : { fetch: fetchTrusting(options.ca) }),
      })

/**
 * The core's credential over the shell's real capabilities, with what `replace` returns in
 * place of theirs. `replace` receives the shell's own capabilities, so it can wrap them.
 */
export const baseCredentialWith = (
  shell: Shell,
  options: HarnessOptions,
  replace: (real: Capabilities) => Partial<Capabilities>,
): Harness => {
  const { events, logger } = recorder(options)
  const real = capabilitiesFor(shell, { ca: options.ca, logger })
  const credential = new ManagedIdentityCredentialBase(credentialOptions(options), {
    ...real,
    ...(options.platform === undefined ? {} : { platform: options.platform }),
    ...replace(real),
  })
  return { credential, events, close: () => (real as { close?: () => void }).close?.() }
}

/**
 * The core's credential over the shell's real transport and files, with `clock` in place of
 * the shell's clock. `clock` receives the shell's own capabilities, so it can wrap its sleep.
 */
export const baseCredentialFor = (shell: Shell, options: HarnessOptions, clock: Clock): Harness =>
  baseCredentialWith(shell, options, clock)
