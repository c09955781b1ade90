/**
 * `@azmi/azure-pipeline`: an `@azure/core-rest-pipeline` `HttpClient` as azmi's transport, so a
 * library already on the Azure pipeline reuses its client, agents and proxy settings for
 * managed-identity tokens. {@link pipelineSend} is the core's `send` capability;
 * {@link pipelineCapabilities} and {@link PipelineManagedIdentityCredential} wire the rest.
 *
 * @packageDocumentation
 * @since 0.1.0
 */
export {
  type PipelineCapabilitiesOptions,
  type PipelineCredentialOptions,
  PipelineManagedIdentityCredential,
  pipelineCapabilities,
} from './pipelineCapabilities.js'
export { type PipelineSendOptions, pipelineSend } from './pipelineSend.js'
export { isLocalHost } from './proxyRoute.js'
