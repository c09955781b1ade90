/**
 * What a hosting environment is, as data, and what every source module provides.
 *
 * @since 0.1.0
 */
import type { Either } from 'fp-ts/lib/Either.js'
import type { Platform } from './capabilities.js'
import type { Environment } from './environment.js'
import type { ManagedIdentityError, SourceName } from './errors.js'
import type { Identity } from './identity.js'
import type { Plan } from './plan.js'
import type { RetryOptions } from './retry.js'
import type { AppService } from './sources/AppService.js'
import type { AzureArc } from './sources/AzureArc.js'
import type { AzureML } from './sources/AzureML.js'
import type { CloudShell } from './sources/CloudShell.js'
import type { Imds } from './sources/Imds.js'
import type { ServiceFabric } from './sources/ServiceFabric.js'
import type { WorkloadIdentity } from './sources/WorkloadIdentity.js'
import type { AccessToken } from './token.js'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/**
 * The hosting environment a credential talks to, with everything needed to ask it for a
 * token. Fields named `identityHeader`, `secret` hold secrets: never log a `Source`.
 */
export type Source = ServiceFabric | AppService | AzureArc | AzureML | CloudShell | WorkloadIdentity | Imds

/** One source's verdict on an environment. `Stop` ends selection with no source. */
export type Detection =
  | { readonly _tag: 'Match'; readonly reason: string }
  | { readonly _tag: 'NoMatch'; readonly reason: string }
  | { readonly _tag: 'Stop'; readonly reason: string }

/** What a plan needs besides the source. */
export interface TokenRequest {
  /** The scope exactly as the caller gave it (already validated). */
  readonly scope: string
  /** Per-attempt timeout. */
  readonly timeoutMs: number
  /** Timeout of the optional IMDS probe. */
  readonly probeTimeoutMs: number
  readonly retry: RetryOptions | undefined
  /** Absolute epoch ms by which the whole request must end, if any. */
  readonly deadline: number | undefined
  readonly platform: Platform
}

/** Everything one hosting environment knows about itself. */
export interface SourceModule<S extends Source> {
  readonly name: S['_tag']
  readonly detect: (env: Environment) => Detection
  /** Validate a matching environment and the caller's identity into a `Source`. */
  readonly fromEnvironment: (env: Environment, identity: Identity) => Either<ManagedIdentityError, S>
  readonly plan: (source: S, request: TokenRequest) => Plan<AccessToken>
  /** A check to run before the first token request (IMDS's probe), repeated until it succeeds. */
  readonly preflight?: (source: S, request: TokenRequest) => Plan<void>
  /** The secret values this source sends, so errors and logs can be scrubbed of them. */
  readonly secrets: (source: S) => ReadonlyArray<string>
}

export type { SourceName }
