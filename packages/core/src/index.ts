/**
 * `@azmi/core`: the pure core of azmi. Source selection and its explanation, request plans as
 * data and their interpreter, reply parsing, the error union, the capabilities a shell must
 * provide, and the credential written against them. No I/O, no globals: everything effectful
 * comes in as a capability (docs/embedding.md).
 *
 * @packageDocumentation
 * @since 0.1.0
 */

export { type Cancellation, createCancellation } from './cancellation.js'
// capabilities and the data they exchange
export {
  type AbortSignalLike,
  type CallHints,
  type Capabilities,
  type FileFailure,
  type FileFailureKind,
  fileFailure,
  type LogEvent,
  type Platform,
} from './capabilities.js'
// the credential
export {
  createManagedIdentityClient,
  DEFAULT_DEADLINE_MS,
  type ManagedIdentityClient,
  type ManagedIdentityOptions,
  type TokenOptions,
  type TokenResult,
} from './client.js'
export { ManagedIdentityCredentialBase } from './credential.js'
export { type Environment, secretVariables, type Variable, Variables } from './environment.js'
// errors
export type {
  Aborted,
  ArcChallenge,
  ArcKeyFile,
  ArcKeyRule,
  CertificateMismatch,
  EntraIdError,
  ErrorCode,
  ErrorFamily,
  HttpError,
  IdentityNotAssigned,
  IdentityNotConfirmed,
  ImdsUnavailable,
  InvalidConfiguration,
  InvalidResponse,
  InvalidScope,
  ManagedIdentityError,
  NoSource,
  ResponseTooLarge,
  Throttled,
  Timeout,
  TokenFile,
  TransportError,
  UnsupportedIdentity,
  UnsupportedRuntime,
} from './errors.js'
export { matchFamily } from './errors.js'
export { type FileFacts, fileFailureKindOfCode, grewPastLimit, refuseFile } from './fileRules.js'
export {
  announcesMoreThan,
  type HttpRequest,
  type HttpResponse,
  interruptedFailure,
  joinHeaders,
  MAX_RESPONSE_BYTES,
  type TlsOptions,
  type TransportFailure,
  type TransportFailureKind,
  tooLargeFailure,
  transportFailure,
} from './http.js'
export { type Identity, type IdentityOptions, identityFromOptions, systemAssigned } from './identity.js'
export {
  type AttemptStart,
  type FileCopy,
  type LastReply,
  type RunContext,
  type RunReport,
  runPlan,
} from './interpret.js'
export {
  type ConcurrencyLimiter,
  createConcurrencyLimiter,
  createLimiterRegistry,
  IMDS_MAX_CONCURRENT_REQUESTS,
  IMDS_PACED_REQUESTS_PER_SECOND,
  imdsPacing,
  type LimiterPacing,
  type PacingClock,
  type Release,
} from './limiter.js'
export {
  type AzureClientLogger,
  forAzureLogger,
  formatLogEvent,
  type LogLevel,
  lineLogger,
  loggerFor,
  logLevelFrom,
  logLevelOf,
} from './logLines.js'
export { errorCodeOf, networkFailureKindOfCode } from './networkCodes.js'
export {
  type Check,
  checkOptions,
  credentialArguments,
  isAbortSignalLike,
  type OptionRule,
  optionalOption,
  shellArguments,
  wrongOption,
} from './options.js'
// plans and their interpreter
export type {
  Digest,
  Done,
  Failed,
  FileReuse,
  Note,
  Plan,
  ReadFile,
  Send,
  SendOutcome,
  Step,
  Wait,
  WaitReason,
} from './plan.js'
export { redactBody, scrubText } from './redact.js'
export {
  DEFAULT_PROBE_TIMEOUT_MS,
  DEFAULT_TIMEOUT_MS,
  planToken,
  type RequestSettings,
  secretsOf,
} from './requestToken.js'
export type { RetryOptions, RetrySchedule } from './retry.js'
export { singleScope, toResource } from './scope.js'
// selection
export { explainSelection, selectSource, type Verdict } from './select.js'
export { REQUEST_ID_HEADER, uuidFromRandom } from './sendStep.js'
export { SOURCE_NAMES, type Source, type SourceName } from './sourceList.js'
export type { AppService } from './sources/AppService.js'
export type { AzureArc } from './sources/AzureArc.js'
export type { AzureML } from './sources/AzureML.js'
export { ARC_AGENT_IDENTITY_ENDPOINT, ARC_AGENT_IMDS_ENDPOINT, arcAgentPath } from './sources/arcAgent.js'
export { LINUX_KEY_DIRECTORY, MAX_KEY_BYTES, validateKeyPath } from './sources/arcKeyPath.js'
export type { CloudShell } from './sources/CloudShell.js'
export type { Imds } from './sources/Imds.js'
export { RETRY_SCHEDULES } from './sources/retrySchedules.js'
export type { ServiceFabric } from './sources/ServiceFabric.js'
export { normaliseThumbprint } from './sources/ServiceFabric.js'
export type { ProxyAuthority, TokenProxy } from './sources/tokenProxy.js'
export type { WorkloadIdentity } from './sources/WorkloadIdentity.js'
export {
  AbortError,
  AuthenticationError,
  type AzmiError,
  AzmiErrorBase,
  type AzmiErrorFields,
  CredentialUnavailableError,
  type ErrorResponse,
  toThrown,
} from './thrown.js'
export { LONGEST_TIMER_MS, sleepOver, type TimerFunctions } from './timers.js'
// replies
export { type AccessToken, parseTokenReply, type ReplyTiming } from './token.js'
export type {
  AttributeValue,
  CacheOutcome,
  SpanLike,
  TracerLike,
} from './tracing.js'
export { type Script, type Walk, type WalkedStep, walkPlan } from './walk.js'
