/**
 * A scenario: one subject in a fresh child process against an emulator of its own, set up to
 * misbehave in one way (a scripted hostile body, IMDS's limits, an outage). Each run gets its
 * own emulator so that runs can go in parallel, every request it records is that subject's,
 * and nothing (a limit, an outage still running) carries over to the next run.
 */
import { type Emulator, type EmulatorOptions, type RecordedRequest, startEmulator } from '@azmi/emulator'
import { distFile, runNode } from './children.js'
import type { EnvironmentName, SubjectId } from './subjects.js'

/** How one run is set up and what the subject is asked to do. */
export interface Scenario {
  readonly environment: EnvironmentName
  readonly emulatorOptions?: EmulatorOptions
  /** Faults, outages or limits, set before the subject starts. */
  readonly prepare?: (emulator: Emulator) => void
  /** The worker's measurement: `spread` (concurrent calls) or `blocked` (one call, event loop watched). */
  readonly measurement: 'spread' | 'blocked'
  readonly calls: number
  readonly scopeCount: number
  /** After this long the worker reports what it has (`capped: 1`); a subject may never settle. */
  readonly capMs: number
}

/** What one run saw, from both sides. */
export interface ScenarioRun {
  /** The worker's figures (numbers only). */
  readonly figures: Record<string, number>
  /** `token`, the code of the first call that failed, or `capped`. */
  readonly outcome: string
  readonly firstError?: string
  /** The token requests the emulator received from this subject, oldest first. */
  readonly requests: ReadonlyArray<RecordedRequest>
  /** The emulator's counts for the environment: requests, most at once, 429s, outage replies. */
  readonly stats: Record<string, number>
}

interface WorkerReply {
  readonly outcome?: string
  readonly firstError?: string
}

const numbersOf = (reply: Record<string, unknown>): Record<string, number> =>
  Object.fromEntries(
    Object.entries(reply).filter((entry): entry is [string, number] => typeof entry[1] === 'number'),
  )

/** Run `scenario` for `subject` once, in a fresh emulator that is closed afterwards. */
export const runScenario = async (scenario: Scenario, subject: SubjectId): Promise<ScenarioRun> => {
  const emulator = await startEmulator(scenario.emulatorOptions)
  try {
    scenario.prepare?.(emulator)
    const args = [scenario.measurement, subject, scenario.calls, scenario.scopeCount, scenario.capMs]
    // The child's own cap ends the calls; the spawn timeout is only a backstop.
    const run = await runNode(
      distFile('worker.js'),
      args.map(String),
      emulator.env(scenario.environment),
      [],
      scenario.capMs + 60_000,
    )
    const reply = JSON.parse(run.line) as WorkerReply & Record<string, unknown>
    const stats = emulator.stats(scenario.environment)
    return {
      figures: numbersOf(reply),
      outcome: reply.outcome ?? 'unknown',
      ...(reply.firstError !== undefined && { firstError: reply.firstError }),
      requests: emulator.requests.filter((request) => request.environment === scenario.environment),
      stats: { ...stats },
    }
  } finally {
    await emulator.close()
  }
}
