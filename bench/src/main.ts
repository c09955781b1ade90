/**
 * `pnpm bench`: azmi (node-io and fetch-io) against `@azure/identity` 4.13.1 on one emulator,
 * measurement by measurement. Prints the table and writes `bench/results.md` and
 * `bench/results.json`. A script, not a test: nothing here asserts a time.
 *
 * Options: `--quick` (fewer rounds and shorter runs, for trying the bench out; not figures to
 * quote) and `--only=cached,cold,burst,scopes,bundle,startup,memory`.
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { startEmulator } from '@azmi/emulator'
import { bundleSize, fetchIoBreakdown } from './bundleSize.js'
import { floorIds } from './floor.js'
import { currentLoad, describeMachine } from './machine.js'
import { type Bench, type Figures, measureInWorker, measureStartup, type PerSubject } from './measure.js'
import { method } from './method.js'
import { renderFloors, renderMarkdown, renderTable, type Settings } from './report.js'
import { type AllFigures, buildRows } from './rows.js'
import { type EnvironmentName, environmentNames, subjects } from './subjects.js'

const quick = process.argv.includes('--quick')
const only = process.argv
  .find((argument) => argument.startsWith('--only='))
  ?.slice('--only='.length)
  .split(',')
const wanted = (name: string) => only === undefined || only.includes(name)

const settings: Settings = {
  rounds: quick
    ? { cached: 2, cold: 3, burst: 2, scopes: 1, startup: 5, memory: 1 }
    : { cached: 4, cold: 7, burst: 3, scopes: 1, startup: 15, memory: 3 },
  cachedWindowMs: quick ? 200 : 400,
  burstCalls: 1_000,
  scopeCalls: 10_000,
  memoryCalls: quick ? 100_000 : 1_000_000,
}

const log = (message: string) => process.stderr.write(`${message}\n`)

const perEnvironment = async (
  name: string,
  environments: ReadonlyArray<EnvironmentName>,
  measure: (environment: EnvironmentName) => Promise<Figures>,
): Promise<Partial<Record<EnvironmentName, Figures>>> => {
  const figures: Partial<Record<EnvironmentName, Figures>> = {}
  if (!wanted(name)) return figures
  for (const environment of environments) {
    const started = performance.now()
    figures[environment] = await measure(environment)
    log(`${name} in ${environment}: ${((performance.now() - started) / 1000).toFixed(1)} s`)
  }
  return figures
}

const main = async () => {
  const loadAtStart = currentLoad()
  const emulator = await startEmulator()
  const bench = (rounds: number): Bench => ({ emulator, rounds, subjects })
  const { rounds } = settings
  try {
    const cached = await perEnvironment('cached', environmentNames, (environment) =>
      measureInWorker(bench(rounds.cached ?? 1), environment, 'cached', settings.cachedWindowMs),
    )
    const cold = await perEnvironment('cold', environmentNames, (environment) =>
      measureInWorker(bench(rounds.cold ?? 1), environment, 'cold', 0, { references: floorIds }),
    )
    const burst = await perEnvironment('burst', environmentNames, (environment) =>
      measureInWorker(bench(rounds.burst ?? 1), environment, 'burst', settings.burstCalls),
    )
    const scopes = await perEnvironment('scopes', environmentNames, (environment) =>
      measureInWorker(bench(rounds.scopes ?? 1), environment, 'scopes', settings.scopeCalls),
    )
    const startup = await perEnvironment('startup', ['AppService'], (environment) =>
      measureStartup(bench(rounds.startup ?? 1), environment),
    )
    const memory = await perEnvironment('memory', ['AppService'], (environment) =>
      measureInWorker(bench(rounds.memory ?? 1), environment, 'memory', settings.memoryCalls, {
        flags: ['--expose-gc'],
      }),
    )
    const bundle: PerSubject<Awaited<ReturnType<typeof bundleSize>>> = {}
    if (wanted('bundle')) for (const subject of subjects) bundle[subject.id] = await bundleSize(subject.id)
    const fetchIoSources = wanted('bundle') ? await fetchIoBreakdown() : []
    const all: AllFigures = { cached, cold, burst, scopes, startup, memory, bundle, fetchIoSources }
    const rows = buildRows(all)
    const machine = describeMachine(loadAtStart)
    process.stdout.write(`${renderTable(rows)}\n\n${renderFloors(rows)}\n`)
    // A partial or quick run must not overwrite the committed figures of a full one.
    const partial = quick || only !== undefined
    const folder = partial ? '.tmp/' : ''
    const output = (name: string) => fileURLToPath(new URL(`../${folder}${name}`, import.meta.url))
    mkdirSync(fileURLToPath(new URL(`../${folder}`, import.meta.url)), { recursive: true })
    writeFileSync(output('results.md'), renderMarkdown(rows, all, machine, settings, method))
    writeFileSync(
      output('results.json'),
      `${JSON.stringify({ machine, settings, rows, figures: all }, null, 2)}\n`,
    )
    log(
      `wrote bench/${folder}results.md and bench/${folder}results.json${partial ? ' (a partial run: not figures to quote)' : ''}`,
    )
  } finally {
    await emulator.close()
  }
}

await main()
