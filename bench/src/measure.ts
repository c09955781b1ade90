/**
 * The measurements that run subjects in child processes against the emulator, round by round,
 * with the order of the subjects reversed every other round so neither always goes first.
 */
import type { Emulator } from '@azmi/emulator'
import { distFile, runNode } from './children.js'
import type { FloorId } from './floor.js'
import { type Summary, summarise } from './stats.js'
import type { EnvironmentName, Subject, SubjectId } from './subjects.js'

/** Subjects, and the references measured beside them: Node alone, requests with no library. */
export type PerSubject<T> = Partial<Record<SubjectId | 'empty' | FloorId, T>>

/** Per subject, each named figure summarised over the rounds. */
export type Figures = PerSubject<Record<string, Summary>>

const inOrder = <T>(items: ReadonlyArray<T>, round: number): ReadonlyArray<T> =>
  round % 2 === 0 ? items : [...items].reverse()

/** Run `once` for every subject, `rounds` times, and summarise every numeric field. */
const overRounds = async <K extends string>(
  rounds: number,
  ids: ReadonlyArray<K>,
  once: (id: K) => Promise<Record<string, number>>,
): Promise<Partial<Record<K, Record<string, Summary>>>> => {
  const collected = new Map<K, Record<string, number>[]>()
  for (let round = 0; round < rounds; round++) {
    for (const id of inOrder(ids, round)) {
      const figures = await once(id)
      collected.set(id, [...(collected.get(id) ?? []), figures])
    }
  }
  const summaries: Partial<Record<K, Record<string, Summary>>> = {}
  for (const [id, all] of collected) {
    const names = Object.keys(all[0] ?? {})
    summaries[id] = Object.fromEntries(
      names.map((name) => [name, summarise(all.map((figures) => figures[name] as number))]),
    )
  }
  return summaries
}

const numbersOf = (json: string): Record<string, number> =>
  Object.fromEntries(
    Object.entries(JSON.parse(json) as Record<string, unknown>).filter(
      (entry): entry is [string, number] => typeof entry[1] === 'number',
    ),
  )

export interface Bench {
  readonly emulator: Emulator
  readonly rounds: number
  readonly subjects: ReadonlyArray<Subject>
}

const ids = (bench: Bench) => bench.subjects.map((subject) => subject.id)

/**
 * One worker run per subject and round; `requests` is what reached the emulator meanwhile.
 * Calls that failed (a peer out of sockets, say) are counted in `rejected` and reported.
 */
export const measureInWorker = (
  bench: Bench,
  environment: EnvironmentName,
  measurement: string,
  count: number,
  options: { readonly flags?: ReadonlyArray<string>; readonly references?: ReadonlyArray<FloorId> } = {},
): Promise<Figures> =>
  overRounds(bench.rounds, [...ids(bench), ...(options.references ?? [])], async (id) => {
    bench.emulator.clearRequests()
    const run = await runNode(
      distFile('worker.js'),
      [measurement, id, String(count)],
      bench.emulator.env(environment),
      options.flags,
    )
    const reply = JSON.parse(run.line) as { rejected?: number; firstError?: string }
    if (reply.rejected !== undefined && reply.rejected > 0)
      process.stderr.write(
        `warning: ${id} ${measurement} in ${environment}: ${reply.rejected} calls failed, e.g. ${reply.firstError}\n`,
      )
    return { ...numbersOf(run.line), requests: bench.emulator.requests.length }
  })

/**
 * Import and construct in a fresh process. `sinceStartMs` is `performance.now()` once the
 * credential exists, i.e. milliseconds since the process began, and `cpuMs` the CPU time used
 * by then; the `empty` script gives Node's own share, which the report subtracts.
 */
export const measureStartup = (bench: Bench, environment: EnvironmentName): Promise<Figures> =>
  overRounds(bench.rounds, ['empty' as const, ...ids(bench)], async (id) => {
    const run = await runNode(distFile(`startup/${id}.js`), [], bench.emulator.env(environment))
    const [sinceStart, cpu] = run.line.split(' ')
    return { sinceStartMs: Number(sinceStart), cpuMs: Number(cpu), wallMs: run.wallMs }
  })
