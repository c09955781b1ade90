/**
 * `@azmi/emulator`: a local server that impersonates every Azure managed-identity hosting
 * environment over real sockets, with scripted faults, for end-to-end tests of clients.
 *
 * @module
 */
export { formatEnvironment } from './formatEnvironment.js'
export type {
  Emulator,
  EmulatorOptions,
  EnvironmentName,
  Fault,
  RecordedRequest,
  UserAssignedIdentity,
} from './model.js'
export { startEmulator } from './startEmulator.js'
export { decodeJwtPayload } from './tokens.js'
