/**
 * `@azmi/emulator`: a local server that impersonates every Azure managed-identity hosting
 * environment over real sockets, with scripted faults, outages and IMDS's limits, for
 * end-to-end tests of clients.
 *
 * @module
 */
export type {
  Emulator,
  EmulatorOptions,
  EnvOptions,
  TokenProxy,
  TokenProxyCa,
  TokenProxyRotation,
} from './Emulator.js'
export { tokenSha256 } from './environments/tokenLedger.js'
export { formatEnvironment } from './formatEnvironment.js'
export {
  type ArcAgentMode,
  type EnvironmentName,
  type EnvironmentStats,
  environmentNames,
  type Fault,
  type ImdsLimits,
  type Outage,
  type RecordedRequest,
  type Revocation,
  type UserAssignedIdentity,
} from './model.js'
export { startEmulator } from './startEmulator.js'
export { decodeJwtPayload } from './tokens.js'
