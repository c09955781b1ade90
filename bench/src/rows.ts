/**
 * The figures as table rows: the median of each subject, the azmi/peer ratio of each azmi
 * shell, and the target where it sets one.
 */
import type { BundleSize } from './bundleSize.js'
import type { Figures, PerSubject } from './measure.js'
import type { ScenarioResults } from './measureScenarios.js'
import type { EnvironmentName, SubjectId } from './subjects.js'

export type AzmiId = Exclude<SubjectId, 'peer'>

export interface Target {
  readonly text: string
  readonly met: (value: number, ratio: number, id: AzmiId) => boolean | undefined
}

export interface Row {
  readonly measurement: string
  readonly environment: EnvironmentName | '—'
  readonly unit: string
  readonly values: PerSubject<number>
  /** The least and most of any round, shown where rounds differ enough to matter. */
  readonly ranges?: PerSubject<readonly [number, number]>
  readonly ratios: Partial<Record<AzmiId, number>>
  readonly target?: string
  readonly met: Partial<Record<AzmiId, boolean>>
}

export interface AllFigures {
  readonly cached: Partial<Record<EnvironmentName, Figures>>
  readonly cold: Partial<Record<EnvironmentName, Figures>>
  readonly burst: Partial<Record<EnvironmentName, Figures>>
  readonly scopes: Partial<Record<EnvironmentName, Figures>>
  readonly startup: Partial<Record<EnvironmentName, Figures>>
  readonly memory: Partial<Record<EnvironmentName, Figures>>
  readonly bundle: PerSubject<BundleSize>
  /** fetch-io's minified bytes by the package they come from, bundled from the sources. */
  readonly fetchIoSources: ReadonlyArray<readonly [string, number]>
  /** The scenarios of issues 11 and 12 (hostile bodies, IMDS limits, 410 episodes, a 429 storm). */
  readonly scenarios: ScenarioResults
}

const azmiIds: ReadonlyArray<AzmiId> = ['node-io', 'fetch-io']

/** One row: the medians, the azmi/peer ratios, and the verdict of `target` for each azmi shell. */
export const row = (
  measurement: string,
  environment: EnvironmentName | '—',
  unit: string,
  values: PerSubject<number>,
  target?: Target,
  ranges?: PerSubject<readonly [number, number]>,
): Row => {
  const ratios: Partial<Record<AzmiId, number>> = {}
  const met: Partial<Record<AzmiId, boolean>> = {}
  for (const id of azmiIds) {
    const value = values[id]
    if (value === undefined) continue
    const peer = values.peer
    // A ratio to zero or to a negative figure (a heap that shrank) would say nothing.
    const ratio = peer === undefined || peer <= 0 ? Number.NaN : value / peer
    ratios[id] = ratio
    const verdict = target?.met(value, ratio, id)
    if (verdict !== undefined) met[id] = verdict
  }
  return {
    measurement,
    environment,
    unit,
    values,
    ratios,
    met,
    ...(target && { target: target.text }),
    ...(ranges && { ranges }),
  }
}

/** The median of one named figure for every subject measured. */
export const medians = (figures: Figures | undefined, name: string): PerSubject<number> => {
  const values: PerSubject<number> = {}
  for (const [id, named] of Object.entries(figures ?? {})) {
    const summary = named?.[name]
    if (summary !== undefined) values[id as SubjectId] = summary.median
  }
  return values
}

/** The least and most of one named figure over the rounds, for every subject measured. */
const ranges = (
  figures: Figures | undefined,
  name: string,
  scale = 1,
): PerSubject<readonly [number, number]> => {
  const values: PerSubject<readonly [number, number]> = {}
  for (const [id, named] of Object.entries(figures ?? {})) {
    const summary = named?.[name]
    if (summary !== undefined) values[id as SubjectId] = [summary.min / scale, summary.max / scale]
  }
  return values
}

/** The most calls that failed in any round, per subject. */
export const failures = (figures: Figures | undefined): PerSubject<number> => {
  const values: PerSubject<number> = {}
  for (const [id, named] of Object.entries(figures ?? {})) {
    const summary = named?.rejected
    if (summary !== undefined && summary.max > 0) values[id as SubjectId] = summary.max
  }
  return values
}

/** Start-up beyond Node's own: each subject's median minus the empty script's. */
const beyondNode = (figures: Figures | undefined, name: string): PerSubject<number> => {
  const all = medians(figures, name)
  const empty = all.empty ?? 0
  const values: PerSubject<number> = {}
  for (const [id, value] of Object.entries(all)) if (id !== 'empty') values[id as SubjectId] = value - empty
  return values
}

const byEnvironment = <T>(figures: Partial<Record<EnvironmentName, T>>) =>
  Object.entries(figures) as Array<[EnvironmentName, T]>

/** Every row with at least one figure (a measurement left out with `--only` has none). */
export const buildRows = (all: AllFigures): ReadonlyArray<Row> =>
  allRows(all).filter((each) => Object.keys(each.values).length > 0)

const allRows = (all: AllFigures): ReadonlyArray<Row> => [
  ...byEnvironment(all.cached).map(([environment, figures]) =>
    row('1. Cached getToken', environment, 'calls/s', medians(figures, 'callsPerSecond'), {
      text: 'azmi/peer ≥ 20×',
      met: (_, ratio) => ratio >= 20,
    }),
  ),
  ...byEnvironment(all.cold).flatMap(([environment, figures]) => [
    row('2. Cold token: first getToken, fresh process', environment, 'ms', medians(figures, 'firstTokenMs'), {
      text: 'azmi/peer ≤ 0.5×',
      met: (_, ratio) => ratio <= 0.5,
    }),
    row('2b. Cold token: CPU time of that call', environment, 'ms', medians(figures, 'firstTokenCpuMs')),
  ]),
  ...byEnvironment(all.burst).flatMap(([environment, figures]) => [
    row('3. Burst: 1000 calls, requests', environment, 'requests', medians(figures, 'requests'), {
      text: 'azmi: 1 request',
      met: (value) => value === 1,
    }),
    row('3b. Burst: time to settle', environment, 'ms', medians(figures, 'settleMs')),
    row('3c. Burst: calls that failed (most in a round)', environment, 'calls', failures(figures)),
  ]),
  ...byEnvironment(all.scopes).flatMap(([environment, figures]) => [
    row(
      '4. Many scopes: 10,000 calls / 100 scopes, requests',
      environment,
      'requests',
      medians(figures, 'requests'),
      {
        text: 'azmi: 100 requests',
        met: (value) => value === 100,
      },
    ),
    row('4b. Many scopes: time to settle', environment, 'ms', medians(figures, 'settleMs')),
    row('4c. Many scopes: calls that failed (most in a round)', environment, 'calls', failures(figures)),
  ]),
  row('5. Bundle, minified', '—', 'bytes', bundleValues(all.bundle, 'rawBytes')),
  row('5b. Bundle, minified + gzip', '—', 'bytes', bundleValues(all.bundle, 'gzipBytes'), {
    text: 'fetch-io ≤ 10,240 B (10 KiB)',
    met: (value, _, id) => (id === 'fetch-io' ? value <= 10_240 : undefined),
  }),
  ...byEnvironment(all.startup).flatMap(([environment, figures]) => [
    row(
      '6. Start-up: import + construct beyond Node',
      environment,
      'ms',
      beyondNode(figures, 'sinceStartMs'),
      {
        text: 'azmi ≤ 20 ms',
        met: (value) => value <= 20,
      },
    ),
    row('6b. Start-up: CPU time beyond Node', environment, 'ms', beyondNode(figures, 'cpuMs')),
    row('6c. Start-up: process wall time beyond Node', environment, 'ms', beyondNode(figures, 'wallMs')),
  ]),
  ...byEnvironment(all.memory).map(([environment, figures]) =>
    row(
      '7. Heap growth over 1,000,000 cached calls',
      environment,
      'KiB',
      kib(medians(figures, 'growthBytes')),
      undefined,
      ranges(figures, 'growthBytes', 1024),
    ),
  ),
]

const bundleValues = (bundle: PerSubject<BundleSize>, name: 'rawBytes' | 'gzipBytes'): PerSubject<number> =>
  Object.fromEntries(Object.entries(bundle).map(([id, size]) => [id, size[name]]))

const kib = (values: PerSubject<number>): PerSubject<number> =>
  Object.fromEntries(Object.entries(values).map(([id, value]) => [id, value / 1024]))
