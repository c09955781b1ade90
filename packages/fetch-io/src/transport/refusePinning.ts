/**
 * Certificate pinning, which fetch cannot do.
 *
 * Service Fabric serves its token endpoint with a cluster certificate that no public CA signs;
 * azmi accepts it only when its SHA-1 thumbprint matches `IDENTITY_SERVER_THUMBPRINT`. The
 * fetch API exposes neither the peer certificate nor a verification hook, so this transport
 * cannot honour `request.tls` and must refuse before anything is sent: sending anyway would
 * either fail TLS verification or, worse, trust whatever answered.
 *
 * @see https://learn.microsoft.com/azure/service-fabric/how-to-managed-identity-service-fabric-app-code
 * @since 0.1.0
 */
import type { HttpRequest, TransportFailure } from '@azmi/core'
import { transportFailure } from '@azmi/core'

/**
 * A `pinning-unsupported` failure when the request asks for a pinned certificate, a
 * `custom-tls-unsupported` one when it asks for its own CA or server name (an AKS token
 * proxy), else `undefined`: plain fetch can do neither, so nothing is sent.
 */
export const refusePinning = (request: HttpRequest): TransportFailure | undefined => {
  if (request.tls === undefined) return undefined
  if (request.tls.sha1Thumbprint === undefined)
    return transportFailure(
      'custom-tls-unsupported',
      'this request must be verified against its own CA or server name (an AKS token proxy), and plain fetch ' +
        'cannot; nothing was sent. Inject a transport that can, through the `send` option of the credential.',
    )
  return transportFailure(
    'pinning-unsupported',
    'this request must pin the server certificate (Service Fabric), and plain fetch cannot pin a ' +
      'certificate; nothing was sent. Inject a transport that pins, through the `send` option ' +
      "of the credential (for example @azmi/node-io's transport on Node).",
  )
}
