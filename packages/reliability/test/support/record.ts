/**
 * What each case did, kept for `docs/reliability.md`. A test records its case before it
 * asserts, so a failing case is reported with what actually happened; `scripts/report.ts`
 * joins the records with vitest's verdicts. Files go to `.results/` (git-ignored).
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { afterAll } from 'vitest'
import type { Shell } from './shells.js'

export const RESULTS_DIRECTORY = fileURLToPath(new URL('../../.results/', import.meta.url))

export interface CaseRecord {
  /** The report section, e.g. `faults: transport`. */
  readonly group: string
  readonly case: string
  readonly shell: Shell | 'both'
  /** The hosting environment, or `-`. */
  readonly source: string
  readonly expected: string
  readonly actual: string
  /** The credential's own time budget for the call (its `deadlineMs`), when the case sets one. */
  readonly budgetMs?: number
  readonly elapsedMs?: number
  /** Requests that reached the emulator (or the server the case watches). */
  readonly requests?: number
  readonly note?: string
  /** The vitest test that recorded it, to join with the verdict. */
  readonly test: string
}

/** A recorder for one test file; it writes `.results/<file>.json` when the file ends. */
export const recorder = (file: string) => {
  const records: CaseRecord[] = []
  afterAll(() => {
    mkdirSync(RESULTS_DIRECTORY, { recursive: true })
    writeFileSync(`${RESULTS_DIRECTORY}${file}.json`, `${JSON.stringify(records, null, 2)}\n`)
  })
  return (record: CaseRecord): void => {
    records.push(record)
  }
}
