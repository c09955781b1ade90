/**
 * The shape every emulated hosting environment has: where it listens, which variables
 * point a client at it, and how it answers a request. One module per environment
 * implements it, as one module per source does in the client.
 *
 * @module
 */
import type { Identities } from '../identities.js'
import type { EnvironmentName, RecordedRequest } from '../model.js'
import type { Reply } from '../reply.js'
import type { IssueToken } from '../tokens.js'
import type { ArcKeys } from './arcKeys.js'

/** The three servers: plain HTTP, HTTPS with the CA-signed cert, HTTPS with the Service Fabric cert. */
export type ListenerName = 'http' | 'entra' | 'serviceFabric'

/** The base URL of each server, without a trailing slash. */
export type Endpoints = Readonly<Record<ListenerName, string>>

/** What environments share: identities, secrets and the files the emulator wrote. */
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
}

/** One emulated hosting environment. */
export interface Environment {
  readonly name: EnvironmentName
  readonly listener: ListenerName
  /** Every path under this prefix belongs to the environment (and is recorded as such). */
  readonly pathPrefix: string
  /** Whether `path` is the token endpoint, the only path whose requests consume scripted faults. */
  isTokenPath(path: string): boolean
  /** The variables protocol.md §1.2 needs to select this environment, pointing at the emulator. */
  variables(endpoints: Endpoints, state: EmulatorState): Record<string, string>
  /** The answer when nothing misbehaves; `issue` mints the token, if one is due. */
  answer(request: RecordedRequest, state: EmulatorState, issue: IssueToken): Reply
  /** Azure Arc only: the challenge naming `realm`. */
  challenge?(realm: string): Reply
}

/** Whether `path` is `prefix` itself or below it. */
export const isUnderPrefix = (path: string, prefix: string): boolean =>
  path === prefix || path.startsWith(`${prefix}/`)
