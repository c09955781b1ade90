/**
 * Replies that arrive whole but are wrong, on every source, through both shells: not JSON,
 * no `access_token`, a 5 MiB body, the wrong content type, a token that already expired.
 * None is retried; each ends in the right error family and code (or, for a content type
 * that is merely mislabelled, in the token it carries).
 */
import { expect } from 'vitest'
import { type FaultCase, faultMatrix, onTokenReply, withArcChallenge } from '../support/faultCase.js'
import { recorder } from '../support/record.js'
import { failed, token, unavailable } from '../support/settle.js'
import { watchUnhandledRejections } from '../support/unhandled.js'

watchUnhandledRejections()
const record = recorder('faults-replies')
const GROUP = 'Faults: replies'

const tuning = {
  timeoutMs: 2_000,
  deadlineMs: 5_000,
  retry: { maxRetries: 2, initialDelayMs: 5, maxDelayMs: 20 },
}
/** One token request (after Arc's challenge): none of these replies is worth a retry. */
const once = withArcChallenge(1)

const bodyOf = (outcome: { kind: string; details?: unknown }) =>
  outcome.kind === 'error' && typeof outcome.details === 'object' && outcome.details !== null
    ? (outcome.details as { body?: string }).body
    : undefined

const cases: ReadonlyArray<FaultCase> = [
  {
    name: 'malformed JSON',
    tuning,
    faults: onTokenReply({ malformed: 'not-json' }),
    // IMDS: something else answers at its address (protocol.md §2.1); elsewhere a bad reply
    expected: (source) => (source === 'Imds' ? unavailable('imds_unavailable') : failed('invalid_response')),
    attempts: once,
  },
  {
    name: '2xx without access_token',
    tuning,
    faults: onTokenReply({ malformed: 'no-access-token' }),
    expected: () => failed('invalid_response'),
    attempts: once,
  },
  {
    name: '5 MiB body',
    tuning,
    faults: onTokenReply({ oversizedBodyBytes: 5 * 1024 * 1024 }),
    expected: () => failed('response_too_large'),
    attempts: once,
  },
  {
    name: 'wrong content type (token labelled text/html)',
    tuning,
    faults: onTokenReply({ malformed: 'wrong-content-type' }),
    // The body is judged, not its label (protocol.md §3): a well-formed token is accepted.
    expected: () => token,
    attempts: once,
  },
  {
    name: 'expires_on in the past',
    tuning,
    faults: onTokenReply({ malformed: 'expired' }),
    expected: () => failed('invalid_response'),
    attempts: once,
    check: ({ outcome }) => {
      // "already expired" (expires_on in the past) or, for Entra's negative expires_in, "no valid expires_in"
      expect(outcome.kind === 'error' && outcome.message).toMatch(
        /already expired|no valid "expires_on" or "expires_in"/,
      )
      // the quoted body keeps the evidence but not the token
      expect(bodyOf(outcome)).toContain('"access_token":"****"')
    },
  },
]

faultMatrix(GROUP, record, cases)
