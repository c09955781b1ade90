/**
 * The shared ending of a case: record what happened (before asserting, so a failing case is
 * reported with what it did), then check it is the expected outcome, thrown as the class its
 * family maps to, so a credential chain reacts correctly.
 */
import { expect } from 'vitest'
import { type CaseRecord, recorder } from './record.js'
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

/** A running test, as far as a report needs it. */
export interface NamedTest {
  readonly task: { readonly fullName: string }
}

/** What a case of a {@link reportGroup} says about itself. */
export type GroupCaseFacts = Omit<CaseFacts, 'group' | 'test'>

/**
 * One test file's part of the report: `record` a case as it is, or `check` a settled call
 * against what the case expected (recording it first). Call at the top level of the file.
 */
export const reportGroup = (file: string, group: string) => {
  const record = recorder(file)
  return {
    group,
    record,
    check: (test: NamedTest, facts: GroupCaseFacts, settled: Settled, expected: Expected): void =>
      recordAndExpect(record, { group, test: test.task.fullName, ...facts }, settled, expected),
  }
}
