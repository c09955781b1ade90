/**
 * Every emulated environment, one module per source name, in the precedence order of
 * `docs/protocol.md §1.2` (core's `SOURCE_NAMES`, the one list of the names).
 *
 * @module
 */
import { type EnvironmentName, environmentNames } from '../model.js'
import { AppService } from './AppService.js'
import { AzureArc } from './AzureArc.js'
import { AzureML } from './AzureML.js'
import { CloudShell } from './CloudShell.js'
import type { Environment } from './Environment.js'
import { Imds } from './Imds.js'
import { ServiceFabric } from './ServiceFabric.js'
import { WorkloadIdentity } from './WorkloadIdentity.js'

/** The module of each environment; the record type makes a missing or extra name a type error. */
const modules: Readonly<Record<EnvironmentName, Environment>> = {
  ServiceFabric,
  AppService,
  AzureArc,
  AzureML,
  CloudShell,
  WorkloadIdentity,
  Imds,
}

/** All environments, most specific first. */
export const environments: ReadonlyArray<Environment> = environmentNames.map((name) => modules[name])

/** The environment called `name`; a `RangeError` for a name that is not one (from untyped callers). */
export const environmentByName = (name: EnvironmentName): Environment => {
  const found = Object.hasOwn(modules, name) ? modules[name] : undefined
  if (found === undefined) throw new RangeError(`Unknown environment '${name}'`)
  return found
}
