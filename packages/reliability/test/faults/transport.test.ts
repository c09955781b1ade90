/**
 * Transport faults on every source, through both shells: nothing answers, the connection
 * breaks before or during the reply, the headers never come, the body trickles past the
 * deadline. Each ends in the right error family and code, within the credential's own limits.
 */
import { watchUnhandledRejections } from '@azmi/test-support'
import { expect } from 'vitest'
import { type FaultCase, faultMatrix } from '../support/faultCase.js'
import { failed, unavailable } from '../support/settle.js'
import { reportGroup } from '../support/verdict.js'

watchUnhandledRejections()
const { group, record } = reportGroup('faults-transport', 'Faults: transport')

/**
 * Two attempts (one retry) a few milliseconds apart. The attempt timeout is short only where
 * the timeout is the fault; elsewhere it is long, so that a loaded machine cannot turn a
 * reset into a timeout.
 */
const retry = { maxRetries: 1, initialDelayMs: 5, maxDelayMs: 20 }
const twoAttempts = { timeoutMs: 5_000, deadlineMs: 15_000, retry }
const twoQuickAttempts = { timeoutMs: 300, deadlineMs: 5_000, retry }
const twice = () => 2

/** IMDS reads "nothing reachable there" as unavailable (a chain moves on); the others fail. */
const imdsUnavailableElse = (code: string) => (source: string) =>
  source === 'Imds' ? unavailable('imds_unavailable') : failed(code)

const cases: ReadonlyArray<FaultCase> = [
  {
    name: 'connection refused',
    tuning: twoAttempts,
    refused: true,
    faults: () => [],
    expected: imdsUnavailableElse('transport_error'),
    attempts: twice,
  },
  {
    name: 'reset before headers',
    tuning: twoAttempts,
    faults: () => [{ drop: 'before-headers' }, { drop: 'before-headers' }],
    // A connection closed before any reply byte counts as "nothing answered" (`connect`) in both
    // shells (fetch cannot tell it from a refusal), so IMDS reads it as unavailable.
    expected: imdsUnavailableElse('transport_error'),
    check: ({ outcome }) => {
      expect(
        outcome.kind === 'error' && outcome.details._tag === 'Transport' && outcome.details.kind,
      ).toSatisfy((kind) => kind === false || kind === 'connect')
    },
    attempts: twice,
  },
  {
    name: 'reset mid-body',
    tuning: twoAttempts,
    faults: () => [{ drop: 'mid-body' }, { drop: 'mid-body' }],
    expected: () => failed('transport_error'),
    attempts: twice,
    check: ({ outcome }) => {
      expect(outcome.kind === 'error' && outcome.details._tag === 'Transport' && outcome.details.kind).toBe(
        'reset',
      )
    },
  },
  {
    name: 'headers never sent (ends at the attempt timeout)',
    tuning: twoQuickAttempts,
    faults: () => [{ hang: true }, { hang: true }],
    expected: imdsUnavailableElse('timeout'),
    attempts: twice,
  },
  {
    name: 'body trickles past the deadline',
    // The attempt timeout alone (5 s) would let the 3 s trickle finish; the 700 ms deadline must not.
    tuning: {
      timeoutMs: 5_000,
      deadlineMs: 700,
      retry: { maxRetries: 2, initialDelayMs: 5, maxDelayMs: 20 },
    },
    faults: () => [{ trickle: { chunks: 30, intervalMs: 100 } }],
    expected: imdsUnavailableElse('timeout'),
    // no retry: another attempt could not finish before the deadline
    attempts: () => 1,
    check: ({ outcome }) => {
      // the error states the time the attempt really had, not the 5 s it would have had
      if (outcome.kind === 'error') expect(outcome.message).not.toContain('5000 ms')
    },
  },
]

faultMatrix(group, record, cases)
