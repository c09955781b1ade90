/**
 * `@azmi/node-io`: the Node shell of azmi.
 *
 * @since 0.1.0
 */

export {
  AbortError,
  type AccessToken,
  AuthenticationError,
  type ConcurrencyLimiter,
  CredentialUnavailableError,
  createConcurrencyLimiter,
  type ErrorCode,
  forAzureLogger,
  type LogEvent,
  type ManagedIdentityError,
  type SpanLike,
  type TokenOptions,
  type TracerLike,
} from '@azmi/core'
export { readRegularFile } from './file/readRegularFile.js'
export type { NodeCredentialOptions } from './ManagedIdentityCredential.js'
export { ManagedIdentityCredential } from './ManagedIdentityCredential.js'
export type { NodeCapabilities, NodeCapabilitiesOptions } from './nodeCapabilities.js'
export { nodeCapabilities, processImdsLimiter } from './nodeCapabilities.js'
export { nodePlatform } from './platform.js'
export { sleep } from './sleep.js'
export type { SendOutcome } from './transport/attempt.js'
export type { NodeTransport, NodeTransportOptions } from './transport/createNodeTransport.js'
export { createNodeTransport, DEFAULT_MAX_RESPONSE_BYTES } from './transport/createNodeTransport.js'
export type { ProxyConfiguration } from './transport/proxy/proxySettings.js'
