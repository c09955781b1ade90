/**
 * The rows of the scenarios of issues 11 and 12 (hostile bodies, IMDS's limits, 410 episodes,
 * a 429 storm), each with the issue's target, and the list of how every run ended.
 */
import type { Figures } from './measure.js'
import type { ScenarioResults } from './measureScenarios.js'
import { failures, medians, type Row, row } from './rows.js'
import { STORM_SCOPES } from './scenarios.js'
import type { EnvironmentName } from './subjects.js'

const atMost = (limit: number) => (value: number) => value <= limit

/** Rows only for figures that exist (a measurement left out with `--only` has none). */
const when = (figures: Figures | undefined, rows: () => ReadonlyArray<Row>): ReadonlyArray<Row> =>
  figures === undefined ? [] : rows()

const HOSTILE_CASES: ReadonlyArray<readonly [string, string]> = [
  ['hostile-500-jwt', '500, `eyJ-` repeated'],
  ['hostile-200-jwt', 'non-JSON 200, `eyJ-` repeated'],
  ['hostile-400-fields', '400, `"access_token": "` repeated, never closed'],
]

const hostileRows = (results: ScenarioResults): ReadonlyArray<Row> =>
  HOSTILE_CASES.flatMap(([id, body]) =>
    when(results[id]?.figures, () => {
      const figures = results[id]?.figures
      return [
        row(
          `8. Hostile 1 MiB body (${body}): longest event-loop block`,
          'AppService',
          'ms',
          medians(figures, 'maxBlockMs'),
          {
            text: '≤ 50 ms',
            met: atMost(50),
          },
        ),
        row(
          '8b. … of which the process was on the CPU',
          'AppService',
          'ms',
          medians(figures, 'maxBlockCpuMs'),
        ),
        row('8c. … time to settle', 'AppService', 'ms', medians(figures, 'settleMs')),
      ]
    }),
  )

const coldScopesRows = (results: ScenarioResults, latencyMs: number): ReadonlyArray<Row> => {
  const figures = results[`cold-scopes-${latencyMs}ms`]?.figures
  const label = `9. 100 scopes cold at once, IMDS limits, ${latencyMs} ms answers`
  return when(figures, () => [
    row(`${label}: most requests in flight`, 'Imds', 'requests', medians(figures, 'peakConcurrent'), {
      text: '≤ 5',
      met: atMost(5),
    }),
    row(`9b. … 429s received`, 'Imds', 'replies', medians(figures, 'throttled'), {
      text: '0',
      met: atMost(0),
    }),
    row(`9c. … requests sent`, 'Imds', 'requests', medians(figures, 'requests')),
    row(`9d. … time until all 100 tokens (or the last failure)`, 'Imds', 'ms', medians(figures, 'settleMs')),
    row('9e. … calls that failed', 'Imds', 'calls', failures(figures)),
  ])
}

const GONE_CASES: ReadonlyArray<readonly [string, string]> = [
  ['gone-0', '`Retry-After: 0`'],
  ['gone-1', '`Retry-After: 1`'],
  ['gone-none', 'no `Retry-After`'],
]

const goneRows = (results: ScenarioResults): ReadonlyArray<Row> =>
  GONE_CASES.flatMap(([id, header]) =>
    when(results[id]?.figures, () => {
      const figures = results[id]?.figures
      return [
        row(`10. 410 for 70 s, ${header}: requests sent`, 'Imds', 'requests', medians(figures, 'requests'), {
          text: '≤ 8',
          met: atMost(8),
        }),
        row('10b. … time to the token (or to giving up)', 'Imds', 'ms', medians(figures, 'settleMs')),
      ]
    }),
  )

const stormRows = (results: ScenarioResults): ReadonlyArray<Row> => {
  const figures = results.storm?.figures
  const environment: EnvironmentName = 'Imds'
  return when(figures, () => [
    row(
      '11. 429 storm, 1,000 calls / 10 scopes: requests sent',
      environment,
      'requests',
      medians(figures, 'requests'),
      {
        text: `≤ ${STORM_SCOPES * 5} (≤ 5 steps per scope)`,
        met: atMost(STORM_SCOPES * 5),
      },
    ),
    row(
      '11b. … requests in a retry step their scope had already used',
      environment,
      'requests',
      medians(figures, 'sameStep'),
      {
        text: '0',
        met: atMost(0),
      },
    ),
    row('11c. … requests during the 5 s of 429s', environment, 'requests', medians(figures, 'duringStorm'), {
      text: `≤ ${STORM_SCOPES * 4}`,
      met: atMost(STORM_SCOPES * 4),
    }),
    row('11d. … requests after it', environment, 'requests', medians(figures, 'afterStorm'), {
      text: `≤ ${STORM_SCOPES} (1 per scope)`,
      met: atMost(STORM_SCOPES),
    }),
    row('11e. … time to settle', environment, 'ms', medians(figures, 'settleMs')),
    row('11f. … calls that failed', environment, 'calls', failures(figures)),
  ])
}

/** Every scenario row with a figure, in the order of the table. */
export const scenarioRows = (
  results: ScenarioResults,
  latencies: ReadonlyArray<number>,
): ReadonlyArray<Row> =>
  [
    ...hostileRows(results),
    ...latencies.flatMap((latencyMs) => coldScopesRows(results, latencyMs)),
    ...goneRows(results),
    ...stormRows(results),
  ].filter((each) => Object.keys(each.values).length > 0)

const requestCount = (count: number | undefined) =>
  count === undefined ? '? requests' : `${count} request${count === 1 ? '' : 's'}`

/** How every run of every scenario ended, with the requests it sent, for results.md. */
export const renderOutcomes = (results: ScenarioResults): string =>
  Object.entries(results)
    .map(([id, { figures, outcomes }]) => {
      const perSubject = Object.entries(outcomes).map(([subject, ends]) => {
        const requests = figures[subject as keyof Figures]?.requests?.rounds ?? []
        const runs = (ends ?? []).map((end, i) => `${end} (${requestCount(requests[i])})`)
        const alike = new Set(runs).size === 1 && runs.length > 1
        return `${subject}: ${alike ? `${runs[0]}, every round` : runs.join('; ')}`
      })
      return `- \`${id}\`: ${perSubject.join(' · ')}`
    })
    .join('\n')
