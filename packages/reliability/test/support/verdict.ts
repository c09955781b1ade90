/**
 * The shared ending of a case: record what happened (before asserting, so a failing case is
 * reported with what it did), then check it is the expected outcome, thrown as the class its
 * family maps to, so a credential chain reacts correctly.
 */
import { expect } from 'vitest'
import type { CaseRecord } from './record.js'
import { describeOutcome, type Expected, type Settled } from './settle.js'

/** The exception class each family is thrown as. */
export const classOfFamily = {
  unavailable: 'CredentialUnavailableError',
  configuration: 'CredentialUnavailableError',
  failed: 'AuthenticationError',
} as const

/** What a case says about itself; the outcome fields are filled in from `settled`. */
export type CaseFacts = Omit<CaseRecord, 'expected' | 'actual' | 'elapsedMs'>

export const recordAndExpect = (
  record: (record: CaseRecord) => void,
  facts: CaseFacts,
  settled: Settled,
  expected: Expected,
): void => {
  record({
    ...facts,
    expected: describeOutcome(expected),
    actual: describeOutcome(settled.outcome),
    elapsedMs: settled.elapsedMs,
  })
  expect(describeOutcome(settled.outcome)).toBe(describeOutcome(expected))
  if (settled.outcome.kind === 'error')
    expect(settled.outcome.name).toBe(classOfFamily[settled.outcome.family])
}
