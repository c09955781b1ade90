/**
 * The constructors of the error cases (each case's code and family filled in), and the
 * exhaustive match on their family. The cases themselves are in `errors.ts`.
 *
 * @since 0.2.0
 */
import type * as M from './errors.js'

// -------------------------------------------------------------------------------------
// constructors
// -------------------------------------------------------------------------------------

type Fields<E extends M.ManagedIdentityError> = Omit<E, '_tag' | 'code' | 'family'>
type Case<E extends M.ManagedIdentityError> = readonly [E['code'], E['family']]

/** Each case's code and family: what the interfaces above say, as data the constructors need. */
const CASES: { readonly [E in M.ManagedIdentityError as E['_tag']]: Case<E> } = {
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
  <E extends M.ManagedIdentityError>(_tag: E['_tag']) =>
  (fields: Fields<E>): E => {
    const [code, family] = CASES[_tag]
    return { _tag, code, family, ...fields } as E
  }

export const noSource = make<M.NoSource>('NoSource')
export const unsupportedIdentity = make<M.UnsupportedIdentity>('UnsupportedIdentity')
export const invalidConfiguration = make<M.InvalidConfiguration>('InvalidConfiguration')
export const invalidScope = make<M.InvalidScope>('InvalidScope')
export const unsupportedRuntime = make<M.UnsupportedRuntime>('UnsupportedRuntime')
export const imdsUnavailable = make<M.ImdsUnavailable>('ImdsUnavailable')
export const identityNotAssigned = make<M.IdentityNotAssigned>('IdentityNotAssigned')
export const httpError = make<M.HttpError>('Http')
export const entraIdError = make<M.EntraIdError>('EntraId')
export const invalidResponse = make<M.InvalidResponse>('InvalidResponse')
export const transportError = make<M.TransportError>('Transport')
export const certificateMismatch = make<M.CertificateMismatch>('CertificateMismatch')
export const responseTooLarge = make<M.ResponseTooLarge>('ResponseTooLarge')
export const timeout = make<M.Timeout>('Timeout')
export const aborted = make<M.Aborted>('Aborted')
export const arcChallenge = make<M.ArcChallenge>('ArcChallenge')
export const arcKeyFile = make<M.ArcKeyFile>('ArcKeyFile')
export const tokenFile = make<M.TokenFile>('TokenFile')
export const identityNotConfirmed = make<M.IdentityNotConfirmed>('IdentityNotConfirmed')
/** A `M.Throttled` error in the family of the failure it remembers. */
export const throttled = (family: M.Throttled['family'], fields: Fields<M.Throttled>): M.Throttled => ({
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
  <A>(cases: { readonly [F in M.ErrorFamily]: (error: M.ManagedIdentityError) => A }) =>
  (error: M.ManagedIdentityError): A =>
    cases[error.family](error)
