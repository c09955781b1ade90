/**
 * `@azmi/test-support`: scaffolding shared by the test suites of every azmi package (private),
 * one module per concern. The loopback guard itself runs from `loopbackGuardSetup.ts`, the
 * `setupFiles` module of every vitest project.
 */
export {
  type CaTrustingFetch,
  caTrustingFetch,
  caTrustingFetchPerFile,
} from './caTrustingFetch.js'
export {
  type ChildOptions,
  type ChildOutcome,
  runProcess,
  runTypeScript,
  WORKSPACE_ROOT,
} from './childProcesses.js'
export {
  type Clock,
  type ClockCapabilities,
  type OffsetClock,
  offsetClock,
  scaledClock,
  type VirtualClock,
  virtualClock,
} from './clocks.js'
export type { ConnectProxy, ConnectProxyOptions, ProxiedRequest, ProxyOutcome } from './connectProxy.js'
export { startConnectProxy } from './connectProxy.js'
export { emulatorForTest, emulatorPerFile, resetEmulator } from './emulatorSessions.js'
export { isLinuxRoot } from './hostFacts.js'
export {
  answerEmptyJson,
  closedPort,
  type Handler,
  type KeyPair,
  keyPair,
  type ReceivedRequest,
  readCert,
  startServer,
  startTlsRecorder,
  type TestServer,
  type TlsRecorder,
} from './localServers.js'
export {
  describeViolation,
  LOOPBACK_ONLY,
  type LoopbackViolation,
  takeLoopbackViolations,
} from './loopbackGuard.js'
export {
  claimsOf,
  formOf,
  type IdentityKind,
  identityOption,
  RESOURCE,
  requestsTo,
  SCOPE,
  tokenRequests,
  USER_ASSIGNED_KINDS,
  type UserAssignedKind,
} from './recordedRequests.js'
export { bundleOptions, bundleToFile, bunExecutable, denoExecutable } from './runtimes.js'
export {
  type Cleanup,
  resourcesOf,
  resourcesPerTest,
  type TestResources,
  type TestScope,
} from './testResources.js'
export { watchUnhandledRejections } from './unhandledRejections.js'
export { nextTurn, type Signalled, signalled, waitUntil } from './waiting.js'
