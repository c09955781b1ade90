/**
 * The public vocabulary of the emulator: the hosting environments it impersonates, the
 * identities it issues tokens for, the requests it records, the faults and time-based
 * conditions (outages, IMDS limits) it can be told to impose, and the figures it counts.
 * Everything here is readonly plain data; behaviour lives in the other modules.
 *
 * @module
 */
import { SOURCE_NAMES, type SourceName } from '@azmi/core'

// -------------------------------------------------------------------------------------
// environments and identities
// -------------------------------------------------------------------------------------

/**
 * A managed-identity hosting environment: the client's source names (`docs/protocol.md §1.2`),
 * taken from `@azmi/core` so that there is one list of them.
 */
export type EnvironmentName = SourceName

/** Every environment, in the precedence order of `docs/protocol.md §1.2` (core's `SOURCE_NAMES`). */
export const environmentNames: ReadonlyArray<EnvironmentName> = SOURCE_NAMES

/** The three ways Azure names one managed identity. The system-assigned one has them too. */
export interface UserAssignedIdentity {
  /** The client (application) id, a GUID: `client_id` on the wire. */
  readonly clientId: string
  /** The object (principal) id, a GUID: `object_id`. */
  readonly objectId: string
  /** The Azure resource id: `msi_res_id` or `mi_res_id`, depending on the environment. */
  readonly resourceId: string
}

/**
 * How the emulated Azure Arc agent treats a user-assigned identity selector
 * (`client_id`, `object_id`, `msi_res_id`): `current` issues the token for that identity
 * and echoes the selector; `legacy` ignores it and returns the machine's system-assigned
 * token with no echo, as agents without user-assigned support do (`docs/protocol.md §2.4`).
 */
export type ArcAgentMode = 'current' | 'legacy'

// -------------------------------------------------------------------------------------
// recorded requests
// -------------------------------------------------------------------------------------

/** One HTTP request as the emulator received it, before any fault was applied. */
export interface RecordedRequest {
  /** The environment whose path prefix matched, or `'unknown'` (answered 404). */
  readonly environment: EnvironmentName | 'unknown'
  /** The HTTP method, as sent (`GET`, `POST`, ...). */
  readonly method: string
  /** The path without the query string, as sent (not decoded). */
  readonly path: string
  /** Decoded query parameters; for a repeated name the last value wins. */
  readonly query: Readonly<Record<string, string>>
  /** Lower-case header names, raw values as received; repeated headers joined with `', '`. */
  readonly headers: Readonly<Record<string, string>>
  /** The request body as UTF-8 text (`''` when there was none). */
  readonly body: string
  /** `Date.now()` when the request line arrived. */
  readonly at: number
  /**
   * Present only for requests that reached an extra listener: `tokenProxy` (the AKS token
   * proxy, recorded as WorkloadIdentity) or `arcAgent` (the Arc agent port, recorded as AzureArc).
   */
  readonly via?: 'tokenProxy' | 'arcAgent'
  /** For TLS listeners: the server name (SNI) the client sent, if it sent one. */
  readonly servername?: string
}

// -------------------------------------------------------------------------------------
// faults and conditions
// -------------------------------------------------------------------------------------

/**
 * One scripted misbehaviour, consumed by one request to the environment it was scripted for.
 * `{ delayMs: 0 }` answers normally, which lets a script skip a request (for example the
 * Arc challenge, to fault the keyed request that follows it).
 */
export type Fault =
  | {
      /** Answer with this status (100-999) instead of the normal answer. */
      readonly status: number
      /** The body of that answer; default a small JSON error naming the scripted status. */
      readonly body?: string
      /** Headers of that answer, added to (and overriding) the JSON content type. */
      readonly headers?: Readonly<Record<string, string>>
    }
  | {
      /** Answer normally after this many milliseconds (a whole number ≥ 0; 0 skips the request). */
      readonly delayMs: number
    }
  | {
      /** Accept the request and never send headers; only the client's timeout (or `close()`) ends it. */
      readonly hang: true
    }
  | {
      /** Destroy the socket before any byte of the answer, or halfway through the body. */
      readonly drop: 'before-headers' | 'mid-body'
    }
  | {
      /** Send the normal answer in pieces instead of at once. */
      readonly trickle: {
        /** How many pieces (≥ 1). */
        readonly chunks: number
        /** Milliseconds between two pieces (≥ 0). */
        readonly intervalMs: number
      }
    }
  | {
      /** Answer a 200 whose body is exactly this many bytes, shaped like the start of a token reply. */
      readonly oversizedBodyBytes: number
    }
  | {
      /**
       * Answer a 200 that a careful client must reject: a body that is not JSON, a reply
       * without `access_token`, a non-JSON content type, or (`expired`) a token that expired an
       * hour ago, which it must not cache as valid.
       */
      readonly malformed: 'not-json' | 'no-access-token' | 'wrong-content-type' | 'expired'
    }
  | {
      /** Answer a 302 to this URL; clients must not follow it. */
      readonly redirectTo: string
    }
  | {
      /** Azure Arc only: a challenge naming this realm path instead of a key file the emulator wrote. */
      readonly arcRealm: string
    }
  | {
      /**
       * Imds, AppService, AzureML, AzureArc: a token issued for, and a reply naming, a different
       * identity than the one requested (the other of the emulator's two identities).
       */
      readonly lie: 'identity'
    }

/**
 * A time-based fault: every token request to the environment gets this answer until
 * `durationMs` has passed, then behaviour is normal again. Scripted faults take precedence:
 * a request takes the next scripted fault if there is one, and meets the outage otherwise.
 */
export interface Outage {
  /** The status every token request gets, e.g. 410 (IMDS being updated) or 429. */
  readonly status: number
  /** How long the outage lasts, in milliseconds (a whole number ≥ 1). */
  readonly durationMs: number
  /** Headers of each answer, e.g. `{ 'retry-after': '0' }`. */
  readonly headers?: Readonly<Record<string, string>>
  /** The body of each answer; default a JSON error naming the outage. */
  readonly body?: string
  /**
   * When the clock starts: `now` (default, when `outage()` is called) or `first-request`
   * (when the first token request meets it, so that the whole episode is seen by the client).
   */
  readonly from?: 'now' | 'first-request'
}

/**
 * The managed-identity limits IMDS documents: a token request beyond `concurrent` being
 * served at once, or beyond `requestsPerSecond` served in the last second, is answered 429.
 */
export interface ImdsLimits {
  /** Requests served in any one-second window; IMDS documents 20. */
  readonly requestsPerSecond: number
  /** Requests served at once; IMDS documents 5. */
  readonly concurrent: number
  /** The `Retry-After` of each 429, in seconds; default 1. */
  readonly retryAfterSeconds?: number
}

// -------------------------------------------------------------------------------------
// figures
// -------------------------------------------------------------------------------------

/** What one environment's token endpoint has seen since start (or the last `resetStats`). */
export interface EnvironmentStats {
  /** Token requests received (every leg of Arc's challenge counts). */
  readonly tokenRequests: number
  /** Token requests open right now (received, answer not yet finished). */
  readonly inFlight: number
  /** The most token requests open at once. */
  readonly peakConcurrent: number
  /** Token requests the IMDS limiter answered 429. */
  readonly throttled: number
  /** Token requests answered by an outage. */
  readonly outageReplies: number
}

/** A Service Fabric request that named a token to refresh (`token_sha256_to_refresh`). */
export interface Revocation {
  /** The lower-case hex SHA-256 the client sent. */
  readonly sha256: string
  /** Whether it names a token this emulator issued (which is now revoked). */
  readonly known: boolean
  /** `Date.now()` when the request arrived. */
  readonly at: number
}
