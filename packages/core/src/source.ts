/**
 * What every source module provides: detection, validation into a `Source` value, a request
 * plan, and the secrets to scrub. One module per hosting environment lives in `sources/`;
 * `sourceList.ts` puts them in precedence order.
 *
 * @since 0.1.0
 */
import type { Either } from 'fp-ts/lib/Either.js'
import type { Platform } from './capabilities.js'
import type { Environment } from './environment.js'
import type { ManagedIdentityError } from './errors.js'
import type { Identity } from './identity.js'
import type { Plan } from './plan.js'
import type { RetryOptions, RetrySchedule } from './retry.js'
import type { AccessToken } from './token.js'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/**
 * One source's verdict on an environment. The first `Match` is chosen; `Stop` ends selection
 * with no source; a `Fallback` is chosen when no source matches (the first one: the Azure Arc
 * agent found by its binary comes before IMDS).
 */
export type Detection = {
  readonly _tag: 'Match' | 'NoMatch' | 'Stop' | 'Fallback'
  /** Which variables or host facts decided it. Never a value. */
  readonly reason: string
}

/** What a plan needs besides the source: plain data, no clock, no deadline (the interpreter owns it). */
export interface TokenRequest {
  /** The scope exactly as the caller gave it (already validated). */
  readonly scope: string
  /** Per-attempt timeout. */
  readonly timeoutMs: number
  /** Timeout of the IMDS probe. */
  readonly probeTimeoutMs: number
  /** Probe IMDS before asking it for a token (docs/protocol.md §2.1). Other sources ignore it. */
  readonly probe: boolean
  /** The caller's tuning of the source's retry schedule. */
  readonly retry: RetryOptions | undefined
  /** Where the process runs, for Arc's key-directory rule. */
  readonly platform: Platform
  /** Claims from a CAE challenge (the request bypasses the cache), if any. */
  readonly claims: string | undefined
  /**
   * The token cached for this scope when the request carries claims: Service Fabric is told to
   * revoke it (docs/protocol.md §2.3). A secret: never logged.
   */
  readonly revokedToken: string | undefined
  /** The client capabilities to declare (`['cp1']`), for Service Fabric's `xms_cc`. */
  readonly clientCapabilities: ReadonlyArray<string>
}

/**
 * Everything one hosting environment knows about itself. `S` is the source's own value type,
 * tagged with its name.
 */
export interface SourceModule<S extends { readonly _tag: string }> {
  /** The source's name: its value's `_tag`. */
  readonly name: S['_tag']
  /** This source's verdict on the environment and the host. */
  readonly detect: (env: Environment, platform: Platform) => Detection
  /** Validate a matching environment and the caller's identity into a `Source`. */
  readonly fromEnvironment: (
    env: Environment,
    identity: Identity,
    platform: Platform,
  ) => Either<ManagedIdentityError, S>
  /** The source's retry schedule (docs/protocol.md §2.8). */
  readonly retry: RetrySchedule
  /** Requests to this source wait for a slot of the process's IMDS limiter (docs/protocol.md §5.1). */
  readonly limited?: boolean
  /** What `explain` says of the source once chosen: options that do or do not apply to it. */
  readonly notes?: ReadonlyArray<string>
  /** The steps that get a token for `request.scope`. */
  readonly plan: (source: S, request: TokenRequest) => Plan<AccessToken>
  /** The secret values this source sends, so errors and logs can be scrubbed of them. */
  readonly secrets: (source: S) => ReadonlyArray<string>
}
