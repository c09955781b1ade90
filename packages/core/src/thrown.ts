/**
 * The exceptions a credential throws, named as `@azure/identity` names them, so its
 * `ChainedTokenCredential` and every Azure SDK client treat azmi's errors exactly like
 * their own: `CredentialUnavailableError` moves a chain on; `AuthenticationError` stops it.
 *
 * Each carries the `ManagedIdentityError` it came from (`details`) and its stable `code`:
 * switch on `code`, never on the message.
 *
 * @since 0.1.0
 */
import type { ErrorCode, ManagedIdentityError, SourceName } from './errors.js'

/** What every azmi exception carries besides the message. */
export interface AzmiErrorFields {
  readonly code: ErrorCode
  readonly source: SourceName | undefined
  readonly details: ManagedIdentityError
}

/** This credential cannot work here (or is configured wrongly); a chain should try the next one. */
export class CredentialUnavailableError extends Error implements AzmiErrorFields {
  override readonly name = 'CredentialUnavailableError'
  readonly code: ErrorCode
  readonly source: SourceName | undefined
  readonly details: ManagedIdentityError
  constructor(details: ManagedIdentityError) {
    super(`ManagedIdentityCredential: ${details.message}`)
    this.code = details.code
    this.source = details.source
    this.details = details
  }
}

/** The shape `@azure/identity` gives `AuthenticationError.errorResponse`. */
export interface ErrorResponse {
  readonly error: string
  readonly errorDescription: string
}

/** The endpoint should have worked and did not; a chain stops here. */
export class AuthenticationError extends Error implements AzmiErrorFields {
  override readonly name = 'AuthenticationError'
  readonly code: ErrorCode
  readonly source: SourceName | undefined
  readonly details: ManagedIdentityError
  /** The HTTP status, or 400 when no reply was received (as `@azure/identity` does). */
  readonly statusCode: number
  readonly errorResponse: ErrorResponse
  constructor(details: ManagedIdentityError) {
    super(`ManagedIdentityCredential: ${details.message}`)
    this.code = details.code
    this.source = details.source
    this.details = details
    this.statusCode = 'status' in details ? details.status : 400
    this.errorResponse = {
      error: 'error' in details ? details.error : details.code,
      errorDescription: details.message,
    }
  }
}

/** The caller's `AbortSignal` fired. Named like the DOM's and `@azure/abort-controller`'s. */
export class AbortError extends Error implements AzmiErrorFields {
  override readonly name = 'AbortError'
  readonly code: ErrorCode
  readonly source: SourceName | undefined
  readonly details: ManagedIdentityError
  constructor(details: ManagedIdentityError) {
    super(details.message)
    this.code = details.code
    this.source = details.source
    this.details = details
  }
}

export type AzmiError = CredentialUnavailableError | AuthenticationError | AbortError

/** The exception for an error value: by family, never by message. */
export const toThrown = (error: ManagedIdentityError): AzmiError => {
  if (error._tag === 'Aborted') return new AbortError(error)
  switch (error.family) {
    case 'unavailable':
    case 'configuration':
      return new CredentialUnavailableError(error)
    case 'failed':
      return new AuthenticationError(error)
  }
}
