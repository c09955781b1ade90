/**
 * What the contract compares: a credential's outcome and the requests the emulator received,
 * reduced to what must not depend on the shell. Token values, expiry instants, Arc keys and
 * arrival times differ from run to run, so they are replaced by what they say.
 */
import type { Emulator, RecordedRequest } from '@azmi/emulator'
import { claimsOf, formOf } from '../support/emulator.js'

/** A token by what it grants, or an error by what a program may switch on. */
export type Outcome =
  | {
      readonly token: {
        readonly aud: unknown
        readonly oid: unknown
        readonly appid: unknown
        readonly tokenType: string
        readonly refreshes: boolean
        readonly expired: boolean
      }
    }
  | { readonly error: Readonly<Record<string, unknown>> }

/** The fields of an error's `details` that classify it (never its message, which may differ in detail). */
const CLASSIFYING = ['status', 'kind', 'capability', 'rule', 'error'] as const

export const describeOutcome = async (
  pending: Promise<{
    readonly token: string
    readonly tokenType: string
    readonly expiresOnTimestamp: number
    readonly refreshAfterTimestamp?: number
  }>,
  now: number,
): Promise<Outcome> => {
  try {
    const token = await pending
    return {
      token: {
        ...claimsOf(token.token),
        tokenType: token.tokenType,
        refreshes: token.refreshAfterTimestamp !== undefined,
        expired: token.expiresOnTimestamp <= now,
      },
    }
  } catch (thrown) {
    const error = thrown as { name?: unknown; code?: unknown; details?: Readonly<Record<string, unknown>> }
    const details = error.details ?? {}
    return {
      error: {
        name: error.name,
        code: error.code,
        tag: details._tag,
        ...Object.fromEntries(
          CLASSIFYING.filter((field) => field in details).map((field) => [field, details[field]]),
        ),
      },
    }
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
    // Arc's key is fresh for every challenge: the scheme is what the client chose.
    authorization: headers.authorization?.replace(/^(\S+) .*$/s, '$1 <key>'),
    form: request.method === 'POST' ? formOf(request) : undefined,
  }
}

/** Every request the emulator holds (the unknown paths too: a followed redirect would show there). */
export const describeRequests = (emulator: Emulator) => emulator.requests.map(describeRequest)
