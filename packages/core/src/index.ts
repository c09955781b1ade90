/**
 * `@azmi/core`: the pure core of azmi. Selection, request plans, reply parsing and the
 * credential logic, all written against injected capabilities.
 *
 * @since 0.1.0
 */

export * from './cachePolicy.js'
export * from './cancellation.js'
export * from './capabilities.js'
export * from './client.js'
export * from './credential.js'
export * from './environment.js'
export * from './errors.js'
export * from './expiry.js'
export * from './http.js'
export * from './identity.js'
export * from './interpret.js'
export * from './plan.js'
export * from './redact.js'
export * from './requestToken.js'
export * from './retry.js'
export * from './scope.js'
export * from './select.js'
export * from './sharedRun.js'
export * from './source.js'
export type { AppService } from './sources/AppService.js'
export type { AzureArc } from './sources/AzureArc.js'
export { realmOfChallenge } from './sources/AzureArc.js'
export type { AzureML } from './sources/AzureML.js'
export { LINUX_KEY_DIRECTORY, MAX_KEY_BYTES, validateKeyPath } from './sources/arcKeyPath.js'
export type { CloudShell } from './sources/CloudShell.js'
export type { Imds } from './sources/Imds.js'
export type { ServiceFabric } from './sources/ServiceFabric.js'
export { normaliseThumbprint } from './sources/ServiceFabric.js'
export type { WorkloadIdentity } from './sources/WorkloadIdentity.js'
export * from './thrown.js'
export * from './token.js'
