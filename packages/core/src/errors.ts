/**
 * Everything that can go wrong, as data.
 *
 * Each case has a `_tag`, a stable `code` for programs to switch on, a `family` that tells a
 * credential chain what to do (`unavailable`: move on; `failed`: stop; `configuration`: the
 * caller or the environment is wrong), and a `message` written for a person: what happened
 * and what to do. Messages never contain secrets; bodies are redacted before they get here.
 *
 * @since 0.1.0
 */
import type { TransportFailureKind } from './http.js'
import type { SourceName } from './sourceList.js'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/**
 * What a chain should do with an error: `unavailable`, try the next credential; `failed`,
 * stop; `configuration`, the caller or the environment is wrong.
 */
export type ErrorFamily = 'unavailable' | 'failed' | 'configuration'

/** Which Arc key-file rule a challenge broke. */
export type ArcKeyRule =
  | 'platform'
  | 'directory'
  | 'extension'
  | 'traversal'
  | 'not-regular-file'
  | 'too-large'
  | 'unreadable'
  /** a Windows file name that is a device (`CON`, `NUL`, `COM1` …) or an alternate data stream (`a:b`) */
  | 'name'
  /** the key holds a character no header value may carry (a line break, say) */
  | 'content'

/** What every error case carries. */
interface Base<Tag extends string, Code extends string, Family extends ErrorFamily> {
  /** The case, for an exhaustive `switch`. */
  readonly _tag: Tag
  /** A stable code for programs (the same on the thrown error). */
  readonly code: Code
  /** What a credential chain should do. */
  readonly family: Family
  /** What happened and what to do, for a person. Never a secret. */
  readonly message: string
  /** The hosting environment it happened in, when one was chosen. */
  readonly source?: SourceName
  /**
   * The `x-ms-client-request-id` of the request the error is about, when one was sent: quote it
   * to Azure support (docs/protocol.md §1.5).
   */
  readonly requestId?: string
}

/** No hosting environment was recognised. `reasons` explains each source's verdict. */
export interface NoSource extends Base<'NoSource', 'no_source', 'unavailable'> {
  /** Each source's verdict, in precedence order. */
  readonly reasons: ReadonlyArray<string>
}
/** The source cannot honour a user-assigned identity (it is fixed by the platform). */
export interface UnsupportedIdentity
  extends Base<'UnsupportedIdentity', 'unsupported_identity', 'configuration'> {
  /** The source that refused. */
  readonly source: SourceName
}
/** An option or an environment variable is wrong. */
export interface InvalidConfiguration
  extends Base<'InvalidConfiguration', 'invalid_configuration', 'configuration'> {
  /** The environment variable or option at fault. */
  readonly setting: string
}
/** The scopes passed to `getToken` are not exactly one well-formed scope. */
export interface InvalidScope extends Base<'InvalidScope', 'invalid_scope', 'configuration'> {}
/** The runtime lacks a capability this source needs (a file reader, certificate pinning). */
export interface UnsupportedRuntime extends Base<'UnsupportedRuntime', 'unsupported_runtime', 'unavailable'> {
  /** The capability that is missing. */
  readonly capability: 'readFile' | 'tlsPinning' | 'customTls'
}
/** IMDS is not there: the probe got no answer, or something else answered at its address. */
export interface ImdsUnavailable extends Base<'ImdsUnavailable', 'imds_unavailable', 'unavailable'> {}
/** IMDS answered 400: the identity asked for is not assigned to this resource. */
export interface IdentityNotAssigned
  extends Base<'IdentityNotAssigned', 'identity_not_assigned', 'unavailable'> {
  /** The HTTP status. */
  readonly status: number
  /** The reply body, redacted and cut for quoting. */
  readonly body: string
}
/** The endpoint answered with an error status (after any retries). */
export interface HttpError extends Base<'Http', 'http_error', 'failed'> {
  /** The HTTP status. */
  readonly status: number
  /** Redacted reply body. */
  readonly body: string
}
/** Microsoft Entra ID refused the workload identity exchange. */
export interface EntraIdError extends Base<'EntraId', 'entra_id_error', 'failed'> {
  /** The HTTP status. */
  readonly status: number
  /** Entra ID's error code (`invalid_client`, ...). */
  readonly error: string
  /** The reply body, redacted and cut for quoting. */
  readonly body: string
}
/** The reply arrived but is not a usable token. */
export interface InvalidResponse extends Base<'InvalidResponse', 'invalid_response', 'failed'> {
  /** The HTTP status. */
  readonly status: number
  /** The reply body, redacted and cut for quoting. */
  readonly body: string
}
/** No usable reply: nothing answered, the connection broke, TLS failed, a proxy refused. */
export interface TransportError extends Base<'Transport', 'transport_error', 'failed'> {
  /** What failed. */
  readonly kind: TransportFailureKind
}
/** Service Fabric's certificate does not have the pinned thumbprint; nothing was sent. */
export interface CertificateMismatch extends Base<'CertificateMismatch', 'certificate_mismatch', 'failed'> {}
/** The reply body passed the transport's cap. */
export interface ResponseTooLarge extends Base<'ResponseTooLarge', 'response_too_large', 'failed'> {}
/** An attempt or the whole call ran out of time. */
export interface Timeout extends Base<'Timeout', 'timeout', 'failed'> {}
/** The caller's `AbortSignal` fired. */
export interface Aborted extends Base<'Aborted', 'aborted', 'failed'> {}
/** Arc's first reply was not the expected 401 challenge. */
export interface ArcChallenge extends Base<'ArcChallenge', 'arc_challenge', 'failed'> {
  /** The status of the first reply. */
  readonly status: number
}
/** The Arc challenge named a key file azmi will not read. */
export interface ArcKeyFile extends Base<'ArcKeyFile', 'arc_key_file', 'failed'> {
  /** The rule the key path or file broke. */
  readonly rule: ArcKeyRule
}
/** The workload identity token file could not be read. */
export interface TokenFile extends Base<'TokenFile', 'token_file', 'failed'> {}
/**
 * The reply to a user-assigned request named another identity, or (Azure Arc) did not name
 * the one asked for: the token was discarded (docs/protocol.md §1.3).
 */
export interface IdentityNotConfirmed
  extends Base<'IdentityNotConfirmed', 'identity_not_confirmed', 'failed'> {
  /** The reply field that was compared (`client_id`, `object_id`, `msi_res_id`, …). */
  readonly field: string
  /** The identity asked for. */
  readonly expected: string
  /** What the reply named instead, or `undefined` when it named none. */
  readonly actual: string | undefined
}
/**
 * The endpoint's last answer was 429 or 5xx, moments ago: this call was not sent, so as not
 * to add to its load (docs/protocol.md §5.2). The family is the remembered failure's.
 */
export interface Throttled extends Base<'Throttled', 'throttled', 'failed' | 'unavailable'> {
  /** The status the endpoint answered with. */
  readonly status: number
  /** Epoch milliseconds when calls go to the endpoint again. */
  readonly until: number
}

/** Everything that can go wrong, as a tagged union. */
export type ManagedIdentityError =
  | NoSource
  | UnsupportedIdentity
  | InvalidConfiguration
  | InvalidScope
  | UnsupportedRuntime
  | ImdsUnavailable
  | IdentityNotAssigned
  | HttpError
  | EntraIdError
  | InvalidResponse
  | TransportError
  | CertificateMismatch
  | ResponseTooLarge
  | Timeout
  | Aborted
  | ArcChallenge
  | ArcKeyFile
  | TokenFile
  | IdentityNotConfirmed
  | Throttled

/** The stable code of an error case. */
export type ErrorCode = ManagedIdentityError['code']

// The constructors and `matchFamily` live in errorValues.ts; importers reach them through here.
export * from './errorValues.js'
