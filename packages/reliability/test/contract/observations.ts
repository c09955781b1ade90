/**
 * What the contract compares: how a `getToken` call ended and the requests the emulator
 * received, reduced to what must not depend on the shell. Token values, expiry instants, Arc
 * keys and arrival times differ from run to run, so they are replaced by what they say.
 */
import { AbortError, AuthenticationError, CredentialUnavailableError } from '@azmi/core'
import type { Emulator, RecordedRequest } from '@azmi/emulator'
import { decodeJwtPayload } from '@azmi/emulator'
import { formOf } from '@azmi/test-support'
import type { Outcome } from '../support/settle.js'

/** A token by what it grants, an error by what a program may switch on, or a crash. */
export type Observed =
  | {
      readonly token: {
        readonly aud: unknown
        readonly oid: unknown
        readonly appid: unknown
        readonly resourceId: unknown
        readonly tokenType: string
        readonly refreshes: boolean
        readonly expired: boolean
      }
    }
  | { readonly error: Readonly<Record<string, unknown>> }
  | { readonly crash: string }

/** The fields of an error's `details` that classify it (never its message, which may differ in detail). */
const CLASSIFYING = ['status', 'kind', 'capability', 'rule', 'error'] as const

/** The classes a credential throws, by the `name` each carries (`@azure/identity`'s names). */
const CLASSES: Readonly<Record<string, abstract new (...args: never[]) => Error>> = {
  AuthenticationError,
  CredentialUnavailableError,
  AbortError,
}

const observeError = (outcome: Extract<Outcome, { kind: 'error' }>): Observed => {
  const details = outcome.details as unknown as Readonly<Record<string, unknown>>
  const ownClass = CLASSES[outcome.name]
  const { statusCode } = outcome.error as { statusCode?: unknown }
  return {
    error: {
      name: outcome.name,
      code: outcome.code,
      tag: details._tag,
      source: details.source,
      // thrown as the class its name says, so `instanceof` in a credential chain works
      isItsClass: ownClass !== undefined && outcome.error instanceof ownClass,
      ...(statusCode === undefined ? {} : { statusCode }),
      ...Object.fromEntries(
        CLASSIFYING.filter((field) => field in details).map((field) => [field, details[field]]),
      ),
    },
  }
}

/** What a settled `getToken` says, as of `now`. */
export const observeOutcome = (outcome: Outcome, now: number): Observed => {
  if (outcome.kind === 'error') return observeError(outcome)
  if (outcome.kind === 'crash') return { crash: String(outcome.error) }
  const { token, tokenType, expiresOnTimestamp, refreshAfterTimestamp } = outcome.token
  const claims = decodeJwtPayload(token) ?? {}
  return {
    token: {
      aud: claims.aud,
      oid: claims.oid,
      appid: claims.appid,
      resourceId: claims.xms_mirid,
      tokenType,
      refreshes: refreshAfterTimestamp !== undefined,
      expired: expiresOnTimestamp <= now,
    },
  }
}

/** A request as the endpoint saw it, minus what differs between two honest runs. */
export const describeRequest = (request: RecordedRequest) => {
  const { headers } = request
  return {
    environment: request.environment,
    method: request.method,
    path: request.path,
    query: request.query,
    metadata: headers.metadata,
    identityHeader: headers['x-identity-header'],
    secret: headers.secret,
    contentType: headers['content-type'],
    // Arc's key is fresh for every challenge: the scheme is what the client chose
    authorization: headers.authorization?.replace(/^(\S+) .*$/s, '$1 <key>'),
    form: request.method === 'POST' ? formOf(request) : undefined,
  }
}

/** A request of {@link describeRequest}. */
export type DescribedRequest = ReturnType<typeof describeRequest>

/** Every request the emulator holds (unknown paths too: a followed redirect would show there). */
export const describeRequests = (emulator: Emulator): ReadonlyArray<DescribedRequest> =>
  emulator.requests.map(describeRequest)
