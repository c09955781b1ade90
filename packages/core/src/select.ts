/**
 * Which hosting environment this is (docs/protocol.md §1.2).
 *
 * Selection is a pure function of an environment snapshot and the caller's identity, so it
 * can be explained, property-tested and run before any request. The order comes from the one
 * list in `sourceList.ts`.
 *
 * @since 0.1.0
 */
import * as E from 'fp-ts/lib/Either.js'
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
  /** Which variables were present or missing. Never a value. */
  readonly reason: string
}

const outcomeOf = (detection: Detection): Verdict['outcome'] =>
  detection._tag === 'Match' ? 'chosen' : detection._tag === 'Stop' ? 'stopped' : 'not-matched'

/** Each source's verdict, in precedence order: why one was chosen and the others were not. */
export const explainSelection = (env: Environment): ReadonlyArray<Verdict> => {
  const verdicts: Array<Verdict> = []
  let decided: string | undefined
  for (const module of SOURCE_MODULES) {
    if (decided !== undefined) {
      verdicts.push({ source: module.name, outcome: 'not-considered', reason: decided })
      continue
    }
    const detection = module.detect(env)
    verdicts.push({ source: module.name, outcome: outcomeOf(detection), reason: detection.reason })
    if (detection._tag === 'Match') decided = `${module.name} was chosen first`
    if (detection._tag === 'Stop') decided = `selection stopped at ${module.name}`
  }
  return verdicts
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
 * The source this environment selects, validated together with the caller's identity: a
 * malformed endpoint, a missing workload-identity client id, or an identity the source cannot
 * honour is an error here, before any request.
 */
export const selectSource = (
  env: Environment,
  identity: Identity = systemAssigned,
): E.Either<ManagedIdentityError, Source> => {
  for (const module of SOURCE_MODULES) {
    const detection = module.detect(env)
    if (detection._tag === 'Stop') break
    if (detection._tag === 'Match')
      return module.fromEnvironment(env, identity) as E.Either<ManagedIdentityError, Source>
  }
  return E.left(noneChosen(explainSelection(env)))
}
