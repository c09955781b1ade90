/**
 * `pnpm bench`: azmi (node-io and fetch-io) against `@azure/identity` 4.13.1 on one emulator,
 * measurement by measurement. Prints the table and writes `bench/results.md` and
 * `bench/results.json`. A script, not a test: nothing here asserts a time.
 *
 * Options: `--quick` (fewer rounds and shorter runs, for trying the bench out; not figures to
 * quote), `--only=cached,cold,burst,scopes,bundle,startup,memory,hostile,limits,gone,storm`,
 * and `--rewrite` (results.md again from results.json, nothing measured).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { startEmulator } from '@azmi/emulator'
import { bundleSize, fetchIoBreakdown } from './bundleSize.js'
import { floorIds } from './floor.js'
import { currentLoad, describeMachine, type Machine } from './machine.js'
import { type Bench, type Figures, measureInWorker, measureStartup, type PerSubject } from './measure.js'
import {
  describeOutcomes,
  measureAtOnce,
  measureInTurn,
  type ScenarioFigures,
  type ScenarioResults,
} from './measureScenarios.js'
import { method } from './method.js'
import { renderFloors, renderMarkdown, renderTable, type Settings } from './report.js'
import { type AllFigures, buildRows, type Row } from './rows.js'
import { scenarioRows } from './scenarioRows.js'
import { coldScopesScenario, goneScenario, hostileScenarios, stormScenario } from './scenarios.js'
import { type EnvironmentName, environmentNames, subjects } from './subjects.js'

const quick = process.argv.includes('--quick')
const only = process.argv
  .find((argument) => argument.startsWith('--only='))
  ?.slice('--only='.length)
  .split(',')
const wanted = (name: string) => only === undefined || only.includes(name)

const settings: Settings = {
  rounds: quick
    ? { cached: 2, cold: 3, burst: 2, scopes: 1, startup: 5, memory: 1, hostile: 1, 'hostile 500': 1 }
    : { cached: 4, cold: 7, burst: 3, scopes: 1, startup: 15, memory: 3, hostile: 3, 'hostile 500': 3 },
  cachedWindowMs: quick ? 200 : 400,
  burstCalls: 1_000,
  scopeCalls: 10_000,
  memoryCalls: quick ? 100_000 : 1_000_000,
  // 300 ms: five requests in flight then make 16.7 a second, inside IMDS's 20, so the limits
  // can be kept by capping concurrency alone; 50 ms shows what a faster IMDS does.
  imdsLatenciesMs: [300, 50],
  scenarioCapMs: 150_000,
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

const timed = async <T>(name: string, work: () => Promise<T>): Promise<T> => {
  const started = performance.now()
  const result = await work()
  log(`${name}: ${((performance.now() - started) / 1000).toFixed(1)} s`)
  return result
}

/**
 * The scenarios of issues 11 and 12, each run in its own emulators. Hostile bodies, the IMDS
 * limits and the storm run the subjects one after another (times and gaps are measured); the
 * six 410 episodes, which are waits of about 70 s, all run at once.
 */
const measureScenarios = async (): Promise<ScenarioResults> => {
  const ids = subjects.map((subject) => subject.id)
  const cap = settings.scenarioCapMs
  const results: Record<string, ScenarioFigures> = {}
  if (wanted('hostile'))
    for (const scenario of hostileScenarios(cap)) {
      const rounds = settings.rounds[scenario.id === 'hostile-500-jwt' ? 'hostile 500' : 'hostile'] ?? 1
      results[scenario.id] = await timed(scenario.id, () => measureInTurn(scenario, rounds, ids))
    }
  if (wanted('limits'))
    for (const latencyMs of settings.imdsLatenciesMs) {
      const scenario = coldScopesScenario(latencyMs, cap)
      results[scenario.id] = await timed(scenario.id, () => measureInTurn(scenario, 1, ids))
    }
  if (wanted('gone')) {
    const episodes = ['0', '1', undefined].map((retryAfter) => goneScenario(retryAfter, cap))
    Object.assign(results, await timed('410 episodes', () => measureAtOnce(episodes, ids)))
  }
  if (wanted('storm')) results.storm = await timed('storm', () => measureInTurn(stormScenario(cap), 1, ids))
  for (const [id, { outcomes }] of Object.entries(results)) log(`  ${id}: ${describeOutcomes(outcomes)}`)
  return results
}

/** Every measurement wanted, in the order of the table. */
const measureAll = async (bench: (rounds: number) => Bench): Promise<AllFigures> => {
  const { rounds } = settings
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
  const scenarios = await measureScenarios()
  return { cached, cold, burst, scopes, startup, memory, bundle, fetchIoSources, scenarios }
}

// A partial or quick run must not overwrite the committed figures of a full one.
const partial = quick || only !== undefined
const folder = partial ? '.tmp/' : ''
const output = (name: string) => fileURLToPath(new URL(`../${folder}${name}`, import.meta.url))

/** What `results.json` holds. */
interface Results {
  readonly machine: Machine
  readonly settings: Settings
  readonly rows: ReadonlyArray<Row>
  readonly figures: AllFigures
}

const writeMarkdown = ({ machine, settings: used, rows, figures }: Results) =>
  writeFileSync(output('results.md'), renderMarkdown(rows, figures, machine, used, method))

const main = async () => {
  const benchStarted = performance.now()
  const loadAtStart = currentLoad()
  const emulator = await startEmulator()
  try {
    const all = await measureAll((rounds) => ({ emulator, rounds, subjects }))
    const rows = [...buildRows(all), ...scenarioRows(all.scenarios, settings.imdsLatenciesMs)]
    const machine = describeMachine(loadAtStart, (performance.now() - benchStarted) / 1000)
    process.stdout.write(`${renderTable(rows)}\n\n${renderFloors(rows)}\n`)
    mkdirSync(fileURLToPath(new URL(`../${folder}`, import.meta.url)), { recursive: true })
    const results: Results = { machine, settings, rows, figures: all }
    writeMarkdown(results)
    writeFileSync(output('results.json'), `${JSON.stringify(results, null, 2)}\n`)
    log(
      `wrote bench/${folder}results.md and bench/${folder}results.json${partial ? ' (a partial run: not figures to quote)' : ''}`,
    )
  } finally {
    await emulator.close()
  }
}

// `--rewrite` renders results.md again from results.json, measuring nothing: for a change
// to how the results read (method.ts, report.ts) that should not need a new run.
if (process.argv.includes('--rewrite')) {
  writeMarkdown(JSON.parse(readFileSync(output('results.json'), 'utf8')) as Results)
  log(`rewrote bench/${folder}results.md from bench/${folder}results.json`)
} else await main()
