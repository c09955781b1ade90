/**
 * The two shells under test, built the way an application builds them, plus a logger that
 * keeps every event so a test can inspect (and scan) what the credential reported.
 *
 * `credentialFor` uses each package's public `ManagedIdentityCredential`. `baseCredentialFor`
 * builds the core's `ManagedIdentityCredentialBase` over the same shell's real capabilities
 * with a different clock, for the cases that must cross minutes or hours of credential time.
 */
import {
  type Capabilities,
  type Environment,
  type LogEvent,
  ManagedIdentityCredentialBase,
  type ManagedIdentityOptions,
  type TokenOptions,
} from '@azmi/core'
import { ManagedIdentityCredential as FetchCredential, fetchCapabilities } from '@azmi/fetch-io'
import {
  ManagedIdentityCredential as NodeCredential,
  nodeCapabilities,
  nodePlatform,
  readRegularFile,
} from '@azmi/node-io'
import { afterAll } from 'vitest'
import { type CaTrustingFetch, caTrustingFetch } from './caTrustingFetch.js'

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
}

export interface HarnessOptions extends Omit<ManagedIdentityOptions, 'env'> {
  readonly env: Environment
  /** PEM of a CA to trust for https endpoints (the emulated Entra ID). */
  readonly ca?: string
  /** Sees each event as it is logged, before the test does. */
  readonly onEvent?: (event: LogEvent) => void
}

/** One CA-trusting fetch per CA for the whole test file, closed when it ends. */
const fetches = new Map<string, CaTrustingFetch>()
afterAll(async () => {
  await Promise.all([...fetches.values()].map((each) => each.close()))
  fetches.clear()
})
const fetchTrusting = (ca: string): typeof fetch => {
  const existing = fetches.get(ca) ?? caTrustingFetch(ca)
  fetches.set(ca, existing)
  return existing.fetch
}

const recorder = (options: HarnessOptions) => {
  const events: LogEvent[] = []
  const logger = (event: LogEvent) => {
    options.onEvent?.(event)
    events.push(event)
  }
  return { events, logger }
}

const credentialOptions = (options: HarnessOptions): ManagedIdentityOptions => {
  const { ca: _ca, onEvent: _onEvent, ...rest } = options
  return rest
}

/** The shell's public `ManagedIdentityCredential`, as an application would create it. */
export const credentialFor = (shell: Shell, options: HarnessOptions): Harness => {
  const { events, logger } = recorder(options)
  const common = { ...credentialOptions(options), logger }
  if (shell === 'node-io') {
    const credential = new NodeCredential({
      ...common,
      ...(options.ca === undefined ? {} : { ca: options.ca }),
    })
    return { credential, events }
  }
  const credential = new FetchCredential({
    ...common,
    // fetch-io reads files only through what the caller injects: on Node, node-io's reader.
    readFile: readRegularFile,
    platform: nodePlatform(),
    ...(options.ca === undefined ? {} : { fetch: fetchTrusting(options.ca) }),
  })
  return { credential, events }
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

/** The clock-related capabilities a test may replace. */
export type ClockCapabilities = Partial<Pick<Capabilities, 'now' | 'sleep' | 'random'>>

/**
 * The core's credential over the shell's real transport and files, with `clock` in place of
 * the shell's clock. `clock` receives the shell's own capabilities, so it can wrap its sleep.
 */
export const baseCredentialFor = (
  shell: Shell,
  options: HarnessOptions,
  clock: (real: Capabilities) => ClockCapabilities,
): Harness => {
  const { events, logger } = recorder(options)
  const real = capabilitiesFor(shell, { ca: options.ca, logger })
  const credential = new ManagedIdentityCredentialBase(credentialOptions(options), {
    ...real,
    ...clock(real),
  })
  return { credential, events }
}
