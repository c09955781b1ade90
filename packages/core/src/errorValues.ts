/**
 * The constructors of the error cases (each case's code and family filled in), and the
 * exhaustive match on their family. The cases themselves are in `errors.ts`.
 *
 * @since 0.2.0
 */
import type {
  Aborted,
  ArcChallenge,
  ArcKeyFile,
  CertificateMismatch,
  EntraIdError,
  ErrorFamily,
  HttpError,
  IdentityNotAssigned,
  IdentityNotConfirmed,
  ImdsUnavailable,
  InvalidConfiguration,
  InvalidResponse,
  InvalidScope,
  ManagedIdentityError,
  NoSource,
  ResponseTooLarge,
  Throttled,
  Timeout,
  TokenFile,
  TransportError,
  UnsupportedIdentity,
  UnsupportedRuntime,
} from './errors.js'

// -------------------------------------------------------------------------------------
// constructors
// -------------------------------------------------------------------------------------

type Fields<E extends ManagedIdentityError> = Omit<E, '_tag' | 'code' | 'family'>
type Case<E extends ManagedIdentityError> = readonly [E['code'], E['family']]

/** Each case's code and family: what the interfaces above say, as data the constructors need. */
const CASES: { readonly [E in ManagedIdentityError as E['_tag']]: Case<E> } = {
  NoSource: ['no_source', 'unavailable'],
  UnsupportedIdentity: ['unsupported_identity', 'configuration'],
  InvalidConfiguration: ['invalid_configuration', 'configuration'],
  InvalidScope: ['invalid_scope', 'configuration'],
  UnsupportedRuntime: ['unsupported_runtime', 'unavailable'],
  ImdsUnavailable: ['imds_unavailable', 'unavailable'],
  IdentityNotAssigned: ['identity_not_assigned', 'unavailable'],
  Http: ['http_error', 'failed'],
  EntraId: ['entra_id_error', 'failed'],
  InvalidResponse: ['invalid_response', 'failed'],
  Transport: ['transport_error', 'failed'],
  CertificateMismatch: ['certificate_mismatch', 'failed'],
  ResponseTooLarge: ['response_too_large', 'failed'],
  Timeout: ['timeout', 'failed'],
  Aborted: ['aborted', 'failed'],
  ArcChallenge: ['arc_challenge', 'failed'],
  ArcKeyFile: ['arc_key_file', 'failed'],
  TokenFile: ['token_file', 'failed'],
  IdentityNotConfirmed: ['identity_not_confirmed', 'failed'],
  Throttled: ['throttled', 'failed'],
}

const make =
  <E extends ManagedIdentityError>(_tag: E['_tag']) =>
  (fields: Fields<E>): E => {
    const [code, family] = CASES[_tag]
    return { _tag, code, family, ...fields } as E
  }

export const noSource = make<NoSource>('NoSource')
export const unsupportedIdentity = make<UnsupportedIdentity>('UnsupportedIdentity')
export const invalidConfiguration = make<InvalidConfiguration>('InvalidConfiguration')
export const invalidScope = make<InvalidScope>('InvalidScope')
export const unsupportedRuntime = make<UnsupportedRuntime>('UnsupportedRuntime')
export const imdsUnavailable = make<ImdsUnavailable>('ImdsUnavailable')
export const identityNotAssigned = make<IdentityNotAssigned>('IdentityNotAssigned')
export const httpError = make<HttpError>('Http')
export const entraIdError = make<EntraIdError>('EntraId')
export const invalidResponse = make<InvalidResponse>('InvalidResponse')
export const transportError = make<TransportError>('Transport')
export const certificateMismatch = make<CertificateMismatch>('CertificateMismatch')
export const responseTooLarge = make<ResponseTooLarge>('ResponseTooLarge')
export const timeout = make<Timeout>('Timeout')
export const aborted = make<Aborted>('Aborted')
export const arcChallenge = make<ArcChallenge>('ArcChallenge')
export const arcKeyFile = make<ArcKeyFile>('ArcKeyFile')
export const tokenFile = make<TokenFile>('TokenFile')
export const identityNotConfirmed = make<IdentityNotConfirmed>('IdentityNotConfirmed')
/** A `Throttled` error in the family of the failure it remembers. */
export const throttled = (family: Throttled['family'], fields: Fields<Throttled>): Throttled => ({
  _tag: 'Throttled',
  code: 'throttled',
  family,
  ...fields,
})

// -------------------------------------------------------------------------------------
// destructors
// -------------------------------------------------------------------------------------

/** Exhaustive match on the error family. */
export const matchFamily =
  <A>(cases: { readonly [F in ErrorFamily]: (error: ManagedIdentityError) => A }) =>
  (error: ManagedIdentityError): A =>
    cases[error.family](error)
