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
import { type ErrorCode, type ManagedIdentityError, matchFamily } from './errors.js'
import type { SourceName } from './sourceList.js'

/** What every azmi exception carries besides the message. */
export interface AzmiErrorFields {
  /** A stable code to `switch` on. */
  readonly code: ErrorCode
  /** The hosting environment, when one was chosen. */
  readonly source: SourceName | undefined
  /** The error value it was made from, with every field of its case. */
  readonly details: ManagedIdentityError
}

/**
 * What the three exceptions share: the error value, its code and source. Not thrown itself;
 * `instanceof AzmiErrorBase` tells azmi's exceptions from others.
 */
export abstract class AzmiErrorBase extends Error implements AzmiErrorFields {
  /** A stable code to `switch` on. */
  readonly code: ErrorCode
  /** The hosting environment, when one was chosen. */
  readonly source: SourceName | undefined
  /** The error value it was made from, with every field of its case. */
  readonly details: ManagedIdentityError
  /** An exception for the error value `details`, with `message`. */
  constructor(details: ManagedIdentityError, message: string) {
    super(message)
    this.code = details.code
    this.source = details.source
    this.details = details
  }
}

/** This credential cannot work here (or is configured wrongly); a chain should try the next one. */
export class CredentialUnavailableError extends AzmiErrorBase {
  /** `'CredentialUnavailableError'`, as `@azure/identity` names it. */
  override readonly name = 'CredentialUnavailableError'
  /** An exception for the error value `details`. */
  constructor(details: ManagedIdentityError) {
    super(details, `ManagedIdentityCredential: ${details.message}`)
  }
}

/** The shape `@azure/identity` gives `AuthenticationError.errorResponse`. */
export interface ErrorResponse {
  /** The endpoint's error code, or azmi's `code` when it gave none. */
  readonly error: string
  /** The error's message. */
  readonly errorDescription: string
}

/** The endpoint should have worked and did not; a chain stops here. */
export class AuthenticationError extends AzmiErrorBase {
  /** `'AuthenticationError'`, as `@azure/identity` names it. */
  override readonly name = 'AuthenticationError'
  /** The HTTP status, or 400 when no reply was received (as `@azure/identity` does). */
  readonly statusCode: number
  /** The error in `@azure/identity`'s shape. */
  readonly errorResponse: ErrorResponse
  /** An exception for the error value `details`. */
  constructor(details: ManagedIdentityError) {
    super(details, `ManagedIdentityCredential: ${details.message}`)
    this.statusCode = 'status' in details ? details.status : 400
    this.errorResponse = {
      error: 'error' in details ? details.error : details.code,
      errorDescription: details.message,
    }
  }
}

/** The caller's `AbortSignal` fired. Named like the DOM's and `@azure/abort-controller`'s. */
export class AbortError extends AzmiErrorBase {
  /** `'AbortError'`, as the DOM and `@azure/abort-controller` name it. */
  override readonly name = 'AbortError'
  /** An exception for the error value `details`. */
  constructor(details: ManagedIdentityError) {
    super(details, details.message)
  }
}

/** Every exception a credential throws. */
export type AzmiError = CredentialUnavailableError | AuthenticationError | AbortError

const byFamily = matchFamily<AzmiError>({
  unavailable: (error) => new CredentialUnavailableError(error),
  configuration: (error) => new CredentialUnavailableError(error),
  failed: (error) => new AuthenticationError(error),
})

/** The exception for an error value: by family, never by message. */
export const toThrown = (error: ManagedIdentityError): AzmiError =>
  error._tag === 'Aborted' ? new AbortError(error) : byFamily(error)
