/**
 * The failure classes an outside attack run found in both shells (a hostile endpoint, a
 * hostile environment, a careless caller), each a report group of its own, so that
 * `docs/reliability.md` lists them by class. `scripts/report.ts` reads the same names, in
 * this order.
 */

/** The report group of each class, by its number. */
export const CLASS_GROUPS = {
  1: 'Class 1: the event loop on a hostile body',
  2: 'Class 2: secrets past the scrubber',
  3: 'Class 3: a throwing logger',
  4: 'Class 4: a late caller after an abort',
  5: 'Class 5: file reads under the deadline',
  6: 'Class 6: both shells classify alike',
  7: 'Class 7: absurd expiries',
  8: 'Class 8: sloppy JavaScript callers',
  9: 'Class 9: timers and process lifetime',
  10: 'Class 10: terminal output',
  11: 'Class 11: endpoint values',
  12: 'Class 12: Windows Arc paths',
} as const

/** The property over arbitrary reply sequences, which cuts across the classes. */
export const REPLY_SEQUENCES_GROUP = 'Arbitrary reply sequences (property)'

/** Every group of this module, in report order. */
export const HOSTILE_GROUPS: ReadonlyArray<string> = [...Object.values(CLASS_GROUPS), REPLY_SEQUENCES_GROUP]
