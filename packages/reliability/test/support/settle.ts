/**
 * A `getToken` call reduced to what the suite compares: the token, or the error's family and
 * code, and how long it took to settle. Anything thrown that is not an azmi error is kept as
 * a `crash`, which no expectation matches.
 */
import type { ErrorFamily, ManagedIdentityError } from '@azmi/core'
import type { Token } from './shells.js'

export type Outcome =
  | { readonly kind: 'token'; readonly token: Token }
  | {
      readonly kind: 'error'
      readonly name: string
      readonly code: string
      readonly family: ErrorFamily
      readonly message: string
      readonly details: ManagedIdentityError
      readonly error: Error
    }
  | { readonly kind: 'crash'; readonly error: unknown }

export interface Settled {
  readonly outcome: Outcome
  readonly elapsedMs: number
}

const isAzmiError = (error: unknown): error is Error & { code: string; details: ManagedIdentityError } =>
  error instanceof Error && 'details' in error && 'code' in error && typeof error.code === 'string'

export const toOutcome = (error: unknown): Outcome =>
  isAzmiError(error)
    ? {
        kind: 'error',
        name: error.name,
        code: error.code,
        family: error.details.family,
        message: error.message,
        details: error.details,
        error,
      }
    : { kind: 'crash', error }

/** Await `call()` and describe how it ended. Never rejects. */
export const settle = async (call: () => Promise<Token>): Promise<Settled> => {
  const started = performance.now()
  let outcome: Outcome
  try {
    outcome = { kind: 'token', token: await call() }
  } catch (error) {
    outcome = toOutcome(error)
  }
  return { outcome, elapsedMs: Math.round(performance.now() - started) }
}

/** What a case expects: a token, or an error of this family and code. */
export type Expected =
  | { readonly kind: 'token' }
  | { readonly kind: 'error'; readonly family: ErrorFamily; readonly code: string }

export const token: Expected = { kind: 'token' }
export const failed = (code: string): Expected => ({ kind: 'error', family: 'failed', code })
export const unavailable = (code: string): Expected => ({ kind: 'error', family: 'unavailable', code })
export const configuration = (code: string): Expected => ({ kind: 'error', family: 'configuration', code })

/** `token`, `failed/http_error`, `crash: TypeError ...`: the form the report shows. */
export const describeOutcome = (outcome: Outcome | Expected): string => {
  switch (outcome.kind) {
    case 'token':
      return 'token'
    case 'error':
      return `${outcome.family}/${outcome.code}`
    case 'crash':
      return `crash: ${outcome.error instanceof Error ? `${outcome.error.name}: ${outcome.error.message}` : String(outcome.error)}`
  }
}
