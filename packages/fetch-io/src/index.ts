/**
 * `@azmi/fetch-io`: the fetch shell of azmi, for Cloudflare Workers, Deno, Bun, browsers and
 * Node 20.19+. Web-standard APIs only: this entry must bundle with no Node built-in, so the Bun
 * file adapter lives in `@azmi/fetch-io/bun`.
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
export { now, random, sleep } from './clock.js'
export type { FetchCapabilitiesOptions } from './fetchCapabilities.js'
export { fetchCapabilities, sharedImdsLimiter } from './fetchCapabilities.js'
export { denoReadFile } from './files/denoReadFile.js'
export type { ReadFile } from './files/readRegularFile.js'
export type { FetchCredentialOptions } from './ManagedIdentityCredential.js'
export { ManagedIdentityCredential } from './ManagedIdentityCredential.js'
export {
  type AttemptDeadline,
  type Interruption,
  raceDeadline,
  startAttemptDeadline,
} from './transport/attemptDeadline.js'
export type { FetchTransport, FetchTransportOptions } from './transport/createFetchTransport.js'
export { createFetchTransport, DEFAULT_MAX_RESPONSE_BYTES } from './transport/createFetchTransport.js'
export { type BodyShortfall, readCappedText } from './transport/readCappedBody.js'
export type { ProxyInit } from './withProxy.js'
export { withProxy } from './withProxy.js'
