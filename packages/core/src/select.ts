/**
 * Which hosting environment this is: the single statement of precedence (protocol.md §1.2).
 *
 * Selection is a pure function of an environment snapshot and the caller's identity, so it
 * can be explained, property-tested and run before any request.
 *
 * @since 0.1.0
 */
import * as E from 'fp-ts/lib/Either.js'
import type { Environment } from './environment.js'
import { type ManagedIdentityError, noSource, type SourceName } from './errors.js'
import { type Identity, systemAssigned } from './identity.js'
import type { Detection, Source, SourceModule } from './source.js'
import { AppServiceSource } from './sources/AppService.js'
import { AzureArcSource } from './sources/AzureArc.js'
import { AzureMLSource } from './sources/AzureML.js'
import { CloudShellSource } from './sources/CloudShell.js'
import { ImdsSource } from './sources/Imds.js'
import { ServiceFabricSource } from './sources/ServiceFabric.js'
import { WorkloadIdentitySource } from './sources/WorkloadIdentity.js'

// -------------------------------------------------------------------------------------
// precedence
// -------------------------------------------------------------------------------------

type Modules = { readonly [K in SourceName]: SourceModule<Extract<Source, { readonly _tag: K }>> }

const modules: Modules = {
  ServiceFabric: ServiceFabricSource,
  AppService: AppServiceSource,
  AzureArc: AzureArcSource,
  AzureML: AzureMLSource,
  CloudShell: CloudShellSource,
  WorkloadIdentity: WorkloadIdentitySource,
  Imds: ImdsSource,
}

/** First match wins. This order is the only statement of precedence in azmi. */
export const PRECEDENCE: ReadonlyArray<SourceName> = [
  'ServiceFabric',
  'AppService',
  'AzureArc',
  'AzureML',
  'CloudShell',
  'WorkloadIdentity',
  'Imds',
]

/** Every source name, in precedence order. */
export const SOURCE_NAMES: ReadonlyArray<SourceName> = PRECEDENCE

/** The module that owns a source value. */
export const moduleOf = <S extends Source>(source: S): SourceModule<S> =>
  modules[source._tag] as unknown as SourceModule<S>

// -------------------------------------------------------------------------------------
// selection
// -------------------------------------------------------------------------------------

export interface Verdict {
  readonly source: SourceName
  readonly outcome: 'chosen' | 'not-matched' | 'stopped' | 'not-considered'
  /** Which variables were present or missing. Never a value. */
  readonly reason: string
}

/** Each source's verdict, in precedence order: why one was chosen and the others were not. */
export const explainSelection = (env: Environment): ReadonlyArray<Verdict> => {
  const verdicts: Array<Verdict> = []
  let decided: string | undefined
  for (const name of PRECEDENCE) {
    if (decided !== undefined) {
      verdicts.push({ source: name, outcome: 'not-considered', reason: decided })
      continue
    }
    const detection: Detection = modules[name].detect(env)
    verdicts.push({ source: name, outcome: outcomeOf(detection), reason: detection.reason })
    if (detection._tag === 'Match') decided = `${name} was chosen first`
    if (detection._tag === 'Stop') decided = `selection stopped at ${name}`
  }
  return verdicts
}

const outcomeOf = (detection: Detection): Verdict['outcome'] =>
  detection._tag === 'Match' ? 'chosen' : detection._tag === 'Stop' ? 'stopped' : 'not-matched'

/**
 * The source this environment selects, validated together with the caller's identity: a
 * malformed endpoint, a missing workload-identity client id, or an identity the source cannot
 * honour is an error here, before any request.
 */
export const selectSource = (
  env: Environment,
  identity: Identity = systemAssigned,
): E.Either<ManagedIdentityError, Source> => {
  const verdicts = explainSelection(env)
  const chosen = verdicts.find((verdict) => verdict.outcome === 'chosen')
  if (chosen === undefined) {
    return E.left(
      noSource({
        reasons: verdicts.map((verdict) => `${verdict.source}: ${verdict.outcome} (${verdict.reason})`),
        message: `No managed identity endpoint found. The target Azure platform could not be determined from environment variables: ${verdicts.find((verdict) => verdict.outcome === 'stopped')?.reason ?? 'no source matched'}.`,
      }),
    )
  }
  return modules[chosen.source].fromEnvironment(env, identity) as E.Either<ManagedIdentityError, Source>
}
