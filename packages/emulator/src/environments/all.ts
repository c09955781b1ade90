/**
 * Every emulated environment, in the precedence order of protocol.md §1.2.
 *
 * @module
 */
import type { EnvironmentName } from '../model.js'
import { AppService } from './AppService.js'
import { AzureArc } from './AzureArc.js'
import { AzureML } from './AzureML.js'
import { CloudShell } from './CloudShell.js'
import type { Environment } from './Environment.js'
import { Imds } from './Imds.js'
import { ServiceFabric } from './ServiceFabric.js'
import { WorkloadIdentity } from './WorkloadIdentity.js'

/** All environments, most specific first. */
export const environments: ReadonlyArray<Environment> = [
  ServiceFabric,
  AppService,
  AzureArc,
  AzureML,
  CloudShell,
  WorkloadIdentity,
  Imds,
]

/** The environment called `name`. */
export const environmentByName = (name: EnvironmentName): Environment => {
  const found = environments.find((each) => each.name === name)
  if (found === undefined) throw new RangeError(`Unknown environment '${name}'`)
  return found
}
