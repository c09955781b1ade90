/** The table, `results.md` and `results.json`. */
import type { BundleSize } from './bundleSize.js'
import type { Machine } from './machine.js'
import type { PerSubject } from './measure.js'
import type { AllFigures, AzmiId, Row } from './rows.js'
import { renderOutcomes } from './scenarioRows.js'

export interface Settings {
  readonly rounds: Readonly<Record<string, number>>
  readonly cachedWindowMs: number
  readonly burstCalls: number
  readonly scopeCalls: number
  readonly memoryCalls: number
  /** The latencies the limit-enforcing IMDS answers with, one scenario each. */
  readonly imdsLatenciesMs: ReadonlyArray<number>
  /** The longest a scenario may keep a subject before its figures are taken as they are. */
  readonly scenarioCapMs: number
}

const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 })
const decimal = new Intl.NumberFormat('en-US', { minimumFractionDigits: 1, maximumFractionDigits: 1 })

const formatValue = (value: number | undefined, unit: string): string => {
  if (value === undefined || Number.isNaN(value)) return '—'
  return unit === 'ms' || unit === 'KiB' ? decimal.format(value) : integer.format(value)
}

const withRange = (value: string, range: readonly [number, number] | undefined, unit: string): string =>
  range === undefined ? value : `${value} (${formatValue(range[0], unit)} to ${formatValue(range[1], unit)})`

const formatRatio = (ratio: number | undefined): string => {
  if (ratio === undefined || !Number.isFinite(ratio)) return '—'
  return ratio >= 10 ? `${integer.format(ratio)}×` : `${ratio.toPrecision(2)}×`
}

const verdict = (met: Partial<Record<AzmiId, boolean>>): string =>
  (['node-io', 'fetch-io'] as const)
    .filter((id) => met[id] !== undefined)
    .map((id) => `${id}: ${met[id] === true ? 'met' : 'MISSED'}`)
    .join(', ')

/** The results as a Markdown table, which also reads well in a terminal. */
export const renderTable = (rows: ReadonlyArray<Row>): string => {
  const header = [
    'measurement',
    'env',
    'unit',
    '@azmi/node-io',
    '@azmi/fetch-io',
    '@azure/identity',
    'node-io / peer',
    'fetch-io / peer',
    'target',
    'result',
  ]
  const lines = rows.map((each) => [
    each.measurement,
    each.environment,
    each.unit,
    ...(['node-io', 'fetch-io', 'peer'] as const).map((id) =>
      withRange(formatValue(each.values[id], each.unit), each.ranges?.[id], each.unit),
    ),
    formatRatio(each.ratios['node-io']),
    formatRatio(each.ratios['fetch-io']),
    each.target ?? '',
    verdict(each.met),
  ])
  const widths = header.map((title, column) =>
    Math.max(title.length, ...lines.map((line) => line[column]?.length ?? 0)),
  )
  const render = (cells: ReadonlyArray<string>) =>
    `| ${cells.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join(' | ')} |`
  return [render(header), render(widths.map((width) => '-'.repeat(width))), ...lines.map(render)].join('\n')
}

/** The reference figures measured beside the subjects: a bare first request, with no library. */
export const renderFloors = (rows: ReadonlyArray<Row>): string =>
  rows
    .filter((each) => each.values['floor-http'] !== undefined || each.values['floor-fetch'] !== undefined)
    .map(
      (each) =>
        `- ${each.measurement}, ${each.environment}, with no library: node:http ${formatValue(each.values['floor-http'], each.unit)} ${each.unit}, ` +
        `fetch ${formatValue(each.values['floor-fetch'], each.unit)} ${each.unit}`,
    )
    .join('\n')

const bundleDetails = (bundle: PerSubject<BundleSize>): string =>
  Object.entries(bundle)
    .map(
      ([id, size]) =>
        `- **${id}**: \`${size.command}\` → ${integer.format(size.rawBytes)} B, ${integer.format(size.gzipBytes)} B gzipped. ` +
        `Largest inputs (bytes left in the output): ${size.largestInputs.map(([path, bytes]) => `\`${path}\` ${integer.format(bytes)}`).join(', ')}.`,
    )
    .join('\n')

const outcomes = (all: AllFigures): string =>
  Object.keys(all.scenarios).length === 0
    ? ''
    : `\nHow each scenario run (rows 8 to 11) ended, and the requests the subject sent (in row 8, after its warm-up call):\n\n${renderOutcomes(all.scenarios)}\n`

export const renderMarkdown = (
  rows: ReadonlyArray<Row>,
  all: AllFigures,
  machine: Machine,
  settings: Settings,
  method: string,
): string => `# azmi benchmark

${machine.date} · ${machine.cpuModel}, ${machine.cores} cores · Node ${machine.node} · ${machine.os} ·
1-minute load average ${machine.loadAverage.start.toFixed(2)} at the start, ${machine.loadAverage.end.toFixed(2)} at the end
(more than about half the core count means other work shared the CPU and the timings are noisy) ·
the whole run took ${(machine.benchSeconds / 60).toFixed(1)} min.

Medians over rounds (${Object.entries(settings.rounds)
  .map(([name, count]) => `${name} ${count}`)
  .join(', ')}); ratios are azmi / \`@azure/identity\`. Every round's figure is in \`results.json\`.

${renderTable(rows)}

The floor under a cold token (the same request made by hand in a fresh process):

${renderFloors(rows)}
${outcomes(all)}
## Bundles

${bundleDetails(all.bundle)}

The built \`dist\` holds core with the fp-ts and io-ts code it uses in one file. The same fetch-io
bundle made from the TypeScript sources shows whose the minified bytes are:
${all.fetchIoSources.map(([owner, bytes]) => `${owner} ${integer.format(bytes)} B`).join(', ')}.

${method}
`
