/** Medians and spreads of per-round figures. */

export interface Summary {
  readonly median: number
  readonly min: number
  readonly max: number
  /** Every round's figure, in the order measured. */
  readonly rounds: ReadonlyArray<number>
}

export const median = (values: ReadonlyArray<number>): number => {
  if (values.length === 0) return Number.NaN
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2
}

export const summarise = (values: ReadonlyArray<number>): Summary => ({
  median: median(values),
  min: Math.min(...values),
  max: Math.max(...values),
  rounds: values,
})
