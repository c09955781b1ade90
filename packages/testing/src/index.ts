/**
 * `@azmi/testing`: fast-check arbitraries and a fake world for property-testing code built on
 * azmi — environments (any, one per source, near misses), identities, scopes, reply bodies
 * (well-formed per source and hostile), reply sequences, and `fakeCapabilities`: a scripted
 * endpoint, in-memory files and a virtual clock that moves only when the core sleeps.
 *
 * @packageDocumentation
 * @since 0.1.0
 */
export {
  anyEnvironment,
  environmentFor,
  environmentSecrets,
  nearMissEnvironment,
  REQUIRED_VARIABLES,
  SECRET_VARIABLES,
  type SourceEnvironment,
  sourceEnvironment,
  sourceName,
  VARIABLE_NAMES,
  variableValue,
} from './environments.js'
export {
  type Endpoint,
  type FakeCapabilitiesOptions,
  type FakeWorld,
  fakeCapabilities,
} from './fakeCapabilities.js'
export { countingUuid, jsonResponse, tokenResponse } from './fakeReplies.js'
export {
  identityOptions,
  invalidIdentityOptions,
  systemAssignedOptions,
  userAssignedOptions,
} from './identities.js'
export {
  DEFAULT_START,
  hostileBody,
  hostileReply,
  type TokenReplyOptions,
  tokenReplyBody,
  wellFormedReply,
} from './replyBodies.js'
export {
  endpointReply,
  errorReply,
  isTransportFailure,
  type ReplyOptions,
  replySequence,
  retryAfterValue,
  type ScriptedReply,
  type SequenceOptions,
  TRANSIENT_FAILURE_KINDS,
  TRANSPORT_FAILURE_KINDS,
  toOutcome,
  transportFailureReply,
} from './replySequences.js'
export { SAMPLE_ARC_KEY_PATH, SAMPLE_ENVIRONMENTS, SAMPLE_FILES } from './samples.js'
export { invalidScopes, validScope } from './scopes.js'
export { sha256Hex } from './sha256.js'
export { type ControllableSignal, controllableSignal } from './signal.js'
export {
  type EndpointUrlOptions,
  endpointUrl,
  filePath,
  identityId,
  jwtLike,
  secretValue,
  tenantId,
  thumbprint,
  userAssignedResourceId,
} from './values.js'
