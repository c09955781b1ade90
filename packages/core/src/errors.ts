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
  readonly capability: 'readFile' | 'tlsPinning'
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

/** The stable code of an error case. */
export type ErrorCode = ManagedIdentityError['code']

// -------------------------------------------------------------------------------------
// constructors
// -------------------------------------------------------------------------------------

type Fields<E extends ManagedIdentityError> = Omit<E, '_tag' | 'code' | 'family'>

const make =
  <E extends ManagedIdentityError>(_tag: E['_tag'], code: E['code'], family: E['family']) =>
  (fields: Fields<E>): E =>
    ({ _tag, code, family, ...fields }) as E

export const noSource = make<NoSource>('NoSource', 'no_source', 'unavailable')
export const unsupportedIdentity = make<UnsupportedIdentity>(
  'UnsupportedIdentity',
  'unsupported_identity',
  'configuration',
)
export const invalidConfiguration = make<InvalidConfiguration>(
  'InvalidConfiguration',
  'invalid_configuration',
  'configuration',
)
export const invalidScope = make<InvalidScope>('InvalidScope', 'invalid_scope', 'configuration')
export const unsupportedRuntime = make<UnsupportedRuntime>(
  'UnsupportedRuntime',
  'unsupported_runtime',
  'unavailable',
)
export const imdsUnavailable = make<ImdsUnavailable>('ImdsUnavailable', 'imds_unavailable', 'unavailable')
export const identityNotAssigned = make<IdentityNotAssigned>(
  'IdentityNotAssigned',
  'identity_not_assigned',
  'unavailable',
)
export const httpError = make<HttpError>('Http', 'http_error', 'failed')
export const entraIdError = make<EntraIdError>('EntraId', 'entra_id_error', 'failed')
export const invalidResponse = make<InvalidResponse>('InvalidResponse', 'invalid_response', 'failed')
export const transportError = make<TransportError>('Transport', 'transport_error', 'failed')
export const certificateMismatch = make<CertificateMismatch>(
  'CertificateMismatch',
  'certificate_mismatch',
  'failed',
)
export const responseTooLarge = make<ResponseTooLarge>('ResponseTooLarge', 'response_too_large', 'failed')
export const timeout = make<Timeout>('Timeout', 'timeout', 'failed')
export const aborted = make<Aborted>('Aborted', 'aborted', 'failed')
export const arcChallenge = make<ArcChallenge>('ArcChallenge', 'arc_challenge', 'failed')
export const arcKeyFile = make<ArcKeyFile>('ArcKeyFile', 'arc_key_file', 'failed')
export const tokenFile = make<TokenFile>('TokenFile', 'token_file', 'failed')

// -------------------------------------------------------------------------------------
// destructors
// -------------------------------------------------------------------------------------

/** Exhaustive match on the error family. */
export const matchFamily =
  <A>(cases: { readonly [F in ErrorFamily]: (error: ManagedIdentityError) => A }) =>
  (error: ManagedIdentityError): A =>
    cases[error.family](error)
