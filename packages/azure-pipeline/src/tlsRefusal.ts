/**
 * What a pipeline `HttpClient` cannot promise about TLS, refused before anything is sent.
 *
 * - **Pinning** (Service Fabric, docs/protocol.md §2.3): the `HttpClient` interface exposes
 *   neither the peer certificate nor a verification hook, so the leaf's thumbprint cannot be
 *   checked. Sending anyway would either fail verification against the public roots or, with
 *   verification off, hand the identity header to whoever answered.
 * - **A request's own CA or server name** (the AKS token proxy, §2.7): `PipelineRequest` has
 *   `tlsSettings.ca` but no server name, and a client is free to ignore either (the pipeline's
 *   proxy agents do). A CA that is silently ignored would widen trust to the system roots, so
 *   neither is attempted.
 *
 * The core turns these kinds into `unsupported_runtime` (`tlsPinning`) and `transport_error`
 * (`custom-tls-unsupported`) errors that say what happened.
 *
 * @since 0.1.0
 */
import { type HttpRequest, type TransportFailure, transportFailure } from '@azmi/core'

/** The refusal for `request`, or `undefined` when a pipeline client can send it as it is. */
export const tlsRefusal = (request: HttpRequest): TransportFailure | undefined => {
  const tls = request.tls
  if (tls === undefined) return undefined
  if (tls.sha1Thumbprint !== undefined && tls.sha1Thumbprint !== '') {
    return transportFailure(
      'pinning-unsupported',
      'this request must pin the server certificate (Service Fabric), and an @azure/core-rest-pipeline ' +
        'HttpClient cannot check a certificate thumbprint; nothing was sent. Use @azmi/node-io for Service Fabric.',
    )
  }
  if ((tls.ca !== undefined && tls.ca !== '') || (tls.servername !== undefined && tls.servername !== '')) {
    return transportFailure(
      'custom-tls-unsupported',
      'this request needs its own CA or TLS server name (the AKS token proxy), which an @azure/core-rest-pipeline ' +
        'HttpClient cannot be relied on to apply; nothing was sent. Use @azmi/node-io for the token proxy.',
    )
  }
  return undefined
}
