/**
 * Running scenarios for every subject: round by round, one subject after another (in reverse
 * order every other round) where the figure is a time the other subjects could disturb, or
 * every subject at once where the figures are counts and waits that a few idle processes do
 * not move (each run has its own emulator, so nothing is shared but the CPU).
 */
import type { Figures, PerSubject } from './measure.js'
import { runScenario } from './scenario.js'
import type { MeasuredScenario } from './scenarios.js'
import { summarise } from './stats.js'
import type { SubjectId } from './subjects.js'

/** A scenario's figures over the rounds, and how each run ended (`token` or an error code). */
export interface ScenarioFigures {
  readonly figures: Figures
  readonly outcomes: PerSubject<ReadonlyArray<string>>
}

interface OneRun {
  readonly id: SubjectId
  readonly figures: Record<string, number>
  readonly outcome: string
}

const once = async (scenario: MeasuredScenario, id: SubjectId): Promise<OneRun> => {
  const run = await runScenario(scenario, id)
  return { id, figures: scenario.figuresOf(run), outcome: run.outcome }
}

const summariseRuns = (runs: ReadonlyArray<OneRun>): ScenarioFigures => {
  const figures: Figures = {}
  const outcomes: Partial<Record<SubjectId, string[]>> = {}
  const ids = [...new Set(runs.map((run) => run.id))]
  for (const id of ids) {
    const mine = runs.filter((run) => run.id === id)
    const names = Object.keys(mine[0]?.figures ?? {})
    figures[id] = Object.fromEntries(
      names.map((name) => [name, summarise(mine.map((run) => run.figures[name] as number))]),
    )
    outcomes[id] = mine.map((run) => run.outcome)
  }
  return { figures, outcomes }
}

/** `rounds` rounds, the subjects one after another, reversed every other round. */
export const measureInTurn = async (
  scenario: MeasuredScenario,
  rounds: number,
  ids: ReadonlyArray<SubjectId>,
): Promise<ScenarioFigures> => {
  const runs: OneRun[] = []
  for (let round = 0; round < rounds; round++)
    for (const id of round % 2 === 0 ? ids : [...ids].reverse()) runs.push(await once(scenario, id))
  return summariseRuns(runs)
}

/** Scenario figures by scenario id (see `scenarios.ts`). */
export type ScenarioResults = Readonly<Record<string, ScenarioFigures>>

/** `node-io: http_error ×3 · peer: token, capped`: how the runs of a scenario ended. */
export const describeOutcomes = (outcomes: PerSubject<ReadonlyArray<string>>): string =>
  Object.entries(outcomes)
    .map(([id, ends]) => {
      const counts = new Map<string, number>()
      for (const end of ends ?? []) counts.set(end, (counts.get(end) ?? 0) + 1)
      const each = [...counts].map(([end, times]) => (times === 1 ? end : `${end} ×${times}`))
      return `${id}: ${each.join(', ')}`
    })
    .join(' · ')

/** One round of each scenario, every subject of every scenario at once. */
export const measureAtOnce = async (
  scenarios: ReadonlyArray<MeasuredScenario>,
  ids: ReadonlyArray<SubjectId>,
): Promise<ScenarioResults> => {
  const runs = await Promise.all(
    scenarios.map(async (scenario) => ({
      id: scenario.id,
      runs: await Promise.all(ids.map((id) => once(scenario, id))),
    })),
  )
  return Object.fromEntries(runs.map((each) => [each.id, summariseRuns(each.runs)]))
}
