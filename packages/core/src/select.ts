/**
 * Which hosting environment this is (docs/protocol.md §1.2).
 *
 * Selection is a pure function of an environment snapshot, the caller's identity and the
 * host's facts, so it can be explained, property-tested and run before any request. The
 * order comes from the one list in `sourceList.ts`.
 *
 * @since 0.1.0
 */
import * as E from 'fp-ts/lib/Either.js'
import type { Platform } from './capabilities.js'
import type { Environment } from './environment.js'
import { type ManagedIdentityError, noSource } from './errors.js'
import { type Identity, systemAssigned } from './identity.js'
import type { Detection } from './source.js'
import { SOURCE_MODULES, type Source, type SourceName } from './sourceList.js'

// -------------------------------------------------------------------------------------
// explanation
// -------------------------------------------------------------------------------------

/** One source's part in a selection: chosen, or why not. */
export interface Verdict {
  /** The source this verdict is about. */
  readonly source: SourceName
  /** Chosen; not matched; matched in part, which stops selection; or not looked at, because an earlier source decided. */
  readonly outcome: 'chosen' | 'not-matched' | 'stopped' | 'not-considered'
  /** Which variables or host facts were present or missing. Never a value. */
  readonly reason: string
  /** For the chosen source: which options apply to it (revocation, client capabilities…). */
  readonly notes?: ReadonlyArray<string>
}

/** What every source but Service Fabric says of the options only Service Fabric has a parameter for. */
const NO_REVOCATION =
  'clientCapabilities and claims-based revocation do not apply: this endpoint has no parameter for them'

/** A host with no facts to report: no Arc agent. */
const UNKNOWN_HOST: Platform = { os: 'other' }

/** Every source's detection, in precedence order, up to the first `Match` or `Stop`. */
const detections = (env: Environment, platform: Platform) => {
  const seen: Array<{ readonly name: SourceName; readonly detection: Detection }> = []
  for (const module of SOURCE_MODULES) {
    const detection = module.detect(env, platform)
    seen.push({ name: module.name, detection })
    if (detection._tag === 'Match' || detection._tag === 'Stop') break
  }
  return seen
}

/** The chosen source's name: the first `Match`, else the first `Fallback`, unless selection stopped. */
const chosenOf = (seen: ReturnType<typeof detections>): SourceName | undefined => {
  const last = seen[seen.length - 1]
  if (last?.detection._tag === 'Match') return last.name
  if (last?.detection._tag === 'Stop') return undefined
  return seen.find((each) => each.detection._tag === 'Fallback')?.name
}

/** Each source's verdict, in precedence order: why one was chosen and the others were not. */
export const explainSelection = (
  env: Environment,
  platform: Platform = UNKNOWN_HOST,
): ReadonlyArray<Verdict> => {
  const seen = detections(env, platform)
  const chosen = chosenOf(seen)
  const stop = seen.find((each) => each.detection._tag === 'Stop')
  const decided = chosen === undefined ? `selection stopped at ${stop?.name}` : `${chosen} was chosen`
  return SOURCE_MODULES.map((module): Verdict => {
    const entry = seen.find((each) => each.name === module.name)
    if (entry === undefined) return { source: module.name, outcome: 'not-considered', reason: decided }
    const { _tag, reason } = entry.detection
    if (module.name === chosen)
      return { source: module.name, outcome: 'chosen', reason, notes: module.notes ?? [NO_REVOCATION] }
    if (_tag === 'Stop') return { source: module.name, outcome: 'stopped', reason }
    const unused = _tag === 'Fallback' ? `${reason}, but ${decided}` : reason
    return { source: module.name, outcome: 'not-matched', reason: unused }
  })
}

// -------------------------------------------------------------------------------------
// selection
// -------------------------------------------------------------------------------------

const noneChosen = (verdicts: ReadonlyArray<Verdict>): ManagedIdentityError =>
  noSource({
    reasons: verdicts.map((verdict) => `${verdict.source}: ${verdict.outcome} (${verdict.reason})`),
    message: `No managed identity endpoint found. The target Azure platform could not be determined from environment variables: ${verdicts.find((verdict) => verdict.outcome === 'stopped')?.reason ?? 'no source matched'}.`,
  })

/**
 * The source this environment (and host) selects, validated together with the caller's
 * identity: a malformed endpoint, a missing workload-identity client id, or an identity the
 * source cannot honour is an error here, before any request.
 */
export const selectSource = (
  env: Environment,
  identity: Identity = systemAssigned,
  platform: Platform = UNKNOWN_HOST,
): E.Either<ManagedIdentityError, Source> => {
  const chosen = chosenOf(detections(env, platform))
  const module = SOURCE_MODULES.find((each) => each.name === chosen)
  if (module === undefined) return E.left(noneChosen(explainSelection(env, platform)))
  return module.fromEnvironment(env, identity, platform) as E.Either<ManagedIdentityError, Source>
}
