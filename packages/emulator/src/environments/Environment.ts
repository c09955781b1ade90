/**
 * The shape every emulated hosting environment has: where it listens, which variables
 * point a client at it, and how it answers a request. One module per environment
 * implements it, as one module per source does in the client.
 *
 * @module
 */
import type { EnvOptions } from '../Emulator.js'
import type { Identities } from '../identities.js'
import type { ArcAgentMode, EnvironmentName, RecordedRequest } from '../model.js'
import type { Reply } from '../reply.js'
import type { IssueToken } from '../tokens.js'
import type { ArcKeys } from './arcKeys.js'
import type { TokenLedger } from './tokenLedger.js'

/**
 * The servers: plain HTTP, HTTPS with the CA-signed cert, HTTPS with the Service Fabric cert,
 * HTTPS with the AKS token proxy's cert, and (optionally) plain HTTP on the Arc agent's port.
 */
export type ListenerName = 'http' | 'entra' | 'serviceFabric' | 'tokenProxy' | 'arcAgent'

/** The base URL of each server, without a trailing slash. */
export interface Endpoints {
  readonly http: string
  readonly entra: string
  readonly serviceFabric: string
  readonly tokenProxy: string
  readonly arcAgent?: string
}

/** What the token proxy's variables name. */
export interface TokenProxyState {
  /** The path of the proxy URL, normalised (`''` for none). */
  readonly path: string
  readonly sniName: string
  readonly caFile: string
  /** PEM of the CA of the certificate served now. */
  caPem(): string
}

/** What environments share: identities, secrets, the files the emulator wrote, switches. */
export interface EmulatorState {
  readonly identities: Identities
  readonly tenantId: string
  readonly secrets: {
    readonly appService: string
    readonly serviceFabric: string
    readonly azureMl: string
  }
  /** The federated token file of workload identity and its exact text. */
  readonly federatedToken: { readonly path: string; readonly text: string }
  readonly arcKeys: ArcKeys
  readonly azureMlDateExpiry: boolean
  /** The thumbprint of the certificate Service Fabric serves right now. */
  serviceFabricThumbprint(): string
  /** How the Arc agent treats user-assigned selectors right now. */
  arcAgent(): ArcAgentMode
  /** The Service Fabric tokens issued, for `token_sha256_to_refresh`. */
  readonly serviceFabricTokens: TokenLedger
  readonly tokenProxy: TokenProxyState
}

/** How the token of one answer is minted. */
export interface Minting {
  readonly issue: IssueToken
  /** Issue the token for, and name in the reply, the identity the request did not ask for. */
  readonly lie: boolean
}

/** One emulated hosting environment. */
export interface Environment {
  readonly name: EnvironmentName
  readonly listener: ListenerName
  /** Every path under this prefix belongs to the environment (and is recorded as such). */
  readonly pathPrefix: string
  /** Whether the `lie` fault applies (the environment names an identity in its replies). */
  readonly canLie: boolean
  /** Whether `path` is the token endpoint, the only path whose requests consume scripted faults. */
  isTokenPath(path: string): boolean
  /** The variables `docs/protocol.md §1.2` needs to select this environment, pointing at the emulator. */
  variables(endpoints: Endpoints, state: EmulatorState, options: EnvOptions): Record<string, string>
  /** The answer when nothing misbehaves (or, with `minting.lie`, when the endpoint lies). */
  answer(request: RecordedRequest, state: EmulatorState, minting: Minting): Reply
  /** Azure Arc only: the challenge naming `realm`. */
  challenge?(realm: string): Reply
}

/** Whether `path` is `prefix` itself or below it. */
export const isUnderPrefix = (path: string, prefix: string): boolean =>
  path === prefix || path.startsWith(`${prefix}/`)
