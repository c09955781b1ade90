/**
 * The misbehaving endpoints of issues 11 and 12, as data: hostile reply bodies, IMDS enforcing
 * its documented limits, 410 episodes and a 429 storm. Each {@link Scenario} says how its
 * emulator is set up and what the subject does; `figuresOf` turns what both sides saw into
 * the figures the rows are made of.
 */
import type { RecordedRequest } from '@azmi/emulator'
import type { Scenario, ScenarioRun } from './scenario.js'

/** A scenario, and the figures of one run of it. */
export interface MeasuredScenario extends Scenario {
  readonly id: string
  readonly figuresOf: (run: ScenarioRun) => Record<string, number>
}

const MiB = 1_048_576

/** `piece` repeated up to exactly `bytes` (ASCII), the size cap of both shells (docs/protocol.md §1.5). */
const repeatedTo = (piece: string, bytes: number) =>
  piece.repeat(Math.ceil(bytes / piece.length)).slice(0, bytes)

/**
 * What every scenario reports: the worker's figures and the token requests the emulator
 * received, less `warmUps` (requests the worker made before the measured call).
 */
const basicFigures = (run: ScenarioRun, warmUps = 0): Record<string, number> => ({
  ...run.figures,
  requests: (run.stats.tokenRequests ?? 0) - warmUps,
})

// -------------------------------------------------------------------------------------
// issue 11: a hostile reply body
// -------------------------------------------------------------------------------------

/**
 * A JWT-like prefix repeated (what made redaction quadratic), and an `"access_token": "` key
 * repeated with no value ever closed (what a backtracking field pattern chokes on).
 */
export const hostileBodies = {
  jwtPrefix: repeatedTo('eyJ-', MiB),
  openTokenFields: repeatedTo('"access_token": "', MiB),
} as const

/**
 * The first request (the worker's warm-up call) is answered normally; every later one gets
 * the body (an outage longer than any subject's retries; scripted faults come first), so a
 * retried 500 is read at every attempt and quoted, redacted, in the final error.
 */
const hostile = (id: string, status: number, body: string, capMs: number): MeasuredScenario => ({
  id,
  environment: 'AppService',
  prepare: (emulator) => {
    emulator.script('AppService', [{ delayMs: 0 }])
    emulator.outage('AppService', { status, durationMs: capMs + 60_000, body })
  },
  measurement: 'blocked',
  calls: 1,
  scopeCount: 1,
  capMs,
  figuresOf: (run) => basicFigures(run, 1),
})

export const hostileScenarios = (capMs: number): ReadonlyArray<MeasuredScenario> => [
  hostile('hostile-500-jwt', 500, hostileBodies.jwtPrefix, capMs),
  hostile('hostile-200-jwt', 200, hostileBodies.jwtPrefix, capMs),
  hostile('hostile-400-fields', 400, hostileBodies.openTokenFields, capMs),
]

// -------------------------------------------------------------------------------------
// issue 12: IMDS's limits, 410 episodes, a 429 storm
// -------------------------------------------------------------------------------------

/** IMDS's documented managed-identity limits (docs/protocol.md §5.1). */
export const IMDS_LIMITS = { requestsPerSecond: 20, concurrent: 5 } as const

/** 100 distinct scopes requested at once from one credential, IMDS answering after `latencyMs`. */
export const coldScopesScenario = (latencyMs: number, capMs: number): MeasuredScenario => ({
  id: `cold-scopes-${latencyMs}ms`,
  environment: 'Imds',
  emulatorOptions: { imdsLimits: IMDS_LIMITS, imdsLatencyMs: latencyMs },
  measurement: 'spread',
  calls: 100,
  scopeCount: 100,
  capMs,
  figuresOf: (run) => ({
    ...basicFigures(run),
    peakConcurrent: run.stats.peakConcurrent ?? 0,
    throttled: run.stats.throttled ?? 0,
  }),
})

/** IMDS's "back within 70 s" (docs/protocol.md §2.8, the 410 rule). */
export const GONE_EPISODE_MS = 70_000

/** An IMDS answering 410 for 70 s from the subject's first request, with `retryAfter` or none. */
export const goneScenario = (retryAfter: string | undefined, capMs: number): MeasuredScenario => ({
  id: `gone-${retryAfter ?? 'none'}`,
  environment: 'Imds',
  prepare: (emulator) =>
    emulator.outage('Imds', {
      status: 410,
      durationMs: GONE_EPISODE_MS,
      from: 'first-request',
      ...(retryAfter !== undefined && { headers: { 'retry-after': retryAfter } }),
    }),
  measurement: 'spread',
  calls: 1,
  scopeCount: 1,
  capMs,
  figuresOf: (run) => basicFigures(run),
})

export const STORM_MS = 5_000
export const STORM_CALLS = 1_000
export const STORM_SCOPES = 10
/** No retry follows a failure by less than this (docs/protocol.md §1.5). */
const RETRY_FLOOR_MS = 500

/**
 * Per scope, in arrival order: a request that arrives less than the retry floor after the one
 * before it for the same scope belongs to the same retry step, i.e. is a duplicate.
 */
export const stepCounts = (requests: ReadonlyArray<RecordedRequest>) => {
  const byScope = new Map<string, number[]>()
  for (const request of requests) {
    const scope = request.query.resource ?? ''
    byScope.set(scope, [...(byScope.get(scope) ?? []), request.at])
  }
  let sameStep = 0
  let mostPerScope = 0
  for (const times of byScope.values()) {
    const sorted = [...times].sort((a, b) => a - b)
    mostPerScope = Math.max(mostPerScope, sorted.length)
    sameStep += sorted.filter((at, i) => i > 0 && at - (sorted[i - 1] as number) < RETRY_FLOOR_MS).length
  }
  return { sameStep, mostPerScope }
}

/** 1,000 calls at once over 10 scopes, IMDS answering 429 (no `Retry-After`) for 5 s from the first request. */
export const stormScenario = (capMs: number): MeasuredScenario => ({
  id: 'storm',
  environment: 'Imds',
  prepare: (emulator) =>
    emulator.outage('Imds', { status: 429, durationMs: STORM_MS, from: 'first-request' }),
  measurement: 'spread',
  calls: STORM_CALLS,
  scopeCount: STORM_SCOPES,
  capMs,
  figuresOf: (run) => {
    // The outage answered every request of the storm; the rest came after it.
    const duringStorm = run.stats.outageReplies ?? 0
    const afterStorm = (run.stats.tokenRequests ?? 0) - duringStorm
    return { ...basicFigures(run), ...stepCounts(run.requests), duringStorm, afterStorm }
  },
})
