/**
 * Replies that arrive whole but are wrong, on every source, through both shells: not JSON,
 * no `access_token`, a 5 MiB body, the wrong content type, a token that already expired.
 * None is retried; each ends in the right error family and code (or, for a content type
 * that is merely mislabelled, in the token it carries).
 */
import type { Fault } from '@azmi/emulator'
import { watchUnhandledRejections } from '@azmi/test-support'
import { expect } from 'vitest'
import { type FaultCase, faultMatrix, onTokenReply, withArcChallenge } from '../support/faultCase.js'
import { type Expected, failed, token, unavailable } from '../support/settle.js'
import { reportGroup } from '../support/verdict.js'

watchUnhandledRejections()
const { group, record } = reportGroup('faults-replies', 'Faults: replies')

const tuning = {
  timeoutMs: 2_000,
  deadlineMs: 5_000,
  retry: { maxRetries: 2, initialDelayMs: 5, maxDelayMs: 20 },
}

const bodyOf = (outcome: { kind: string; details?: unknown }) =>
  outcome.kind === 'error' && typeof outcome.details === 'object' && outcome.details !== null
    ? (outcome.details as { body?: string }).body
    : undefined

/** A reply of `fault` to the token request: asked once (after Arc's challenge), never worth a retry. */
const reply = (
  name: string,
  fault: Fault,
  expected: FaultCase['expected'],
  check?: FaultCase['check'],
): FaultCase => ({
  name,
  tuning,
  faults: onTokenReply(fault),
  expected,
  attempts: withArcChallenge(1),
  ...(check === undefined ? {} : { check }),
})
const always = (expected: Expected) => () => expected

const cases: ReadonlyArray<FaultCase> = [
  // IMDS: something else answers at its address (docs/protocol.md §2.1); elsewhere a bad reply
  reply('malformed JSON', { malformed: 'not-json' }, (source) =>
    source === 'Imds' ? unavailable('imds_unavailable') : failed('invalid_response'),
  ),
  reply('2xx without access_token', { malformed: 'no-access-token' }, always(failed('invalid_response'))),
  reply('5 MiB body', { oversizedBodyBytes: 5 * 1024 * 1024 }, always(failed('response_too_large'))),
  // The body is judged, not its label (docs/protocol.md §3): a well-formed token is accepted.
  reply('wrong content type (token labelled text/html)', { malformed: 'wrong-content-type' }, always(token)),
  reply(
    'expires_on in the past',
    { malformed: 'expired' },
    always(failed('invalid_response')),
    ({ outcome }) => {
      // "already expired" (expires_on in the past) or, for Entra's negative expires_in, "no valid expires_in"
      expect(outcome.kind === 'error' && outcome.message).toMatch(
        /already expired|no valid "expires_on" or "expires_in"/,
      )
      // the quoted body keeps the evidence but not the token
      expect(bodyOf(outcome)).toContain('"access_token":"****"')
    },
  ),
]

faultMatrix(group, record, cases)
