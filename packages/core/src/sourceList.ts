/**
 * The hosting environments azmi knows, in precedence order (docs/protocol.md §1.2): the one
 * list from which the source names, their order and the module table all derive.
 *
 * @since 0.1.0
 */
import type { SourceModule } from './source.js'
import { AppServiceSource } from './sources/AppService.js'
import { AzureArcSource } from './sources/AzureArc.js'
import { AzureMLSource } from './sources/AzureML.js'
import { CloudShellSource } from './sources/CloudShell.js'
import { ImdsSource } from './sources/Imds.js'
import { ServiceFabricSource } from './sources/ServiceFabric.js'
import { WorkloadIdentitySource } from './sources/WorkloadIdentity.js'

/** First match wins. This order is the only statement of precedence in azmi. */
export const SOURCE_MODULES = [
  ServiceFabricSource,
  AppServiceSource,
  AzureArcSource,
  AzureMLSource,
  CloudShellSource,
  WorkloadIdentitySource,
  ImdsSource,
] as const

type AnyModule = (typeof SOURCE_MODULES)[number]
type SourceOf<M> = M extends SourceModule<infer S> ? S : never

/** The name of a hosting environment: `'ServiceFabric' | 'AppService' | … | 'Imds'`. */
export type SourceName = AnyModule['name']

/**
 * The hosting environment a credential talks to, with everything needed to ask it for a
 * token: a union tagged by {@link SourceName}. Fields named `identityHeader` and `secret` hold
 * secrets: never log a `Source`.
 */
export type Source = SourceOf<AnyModule>

/** Every source name, in precedence order. */
export const SOURCE_NAMES: ReadonlyArray<SourceName> = SOURCE_MODULES.map((module) => module.name)

const MODULES = new Map<string, AnyModule>(SOURCE_MODULES.map((module) => [module.name, module]))

/** The module that owns a source value. */
export const moduleOf = <S extends Source>(source: S): SourceModule<S> =>
  MODULES.get(source._tag) as unknown as SourceModule<S>
