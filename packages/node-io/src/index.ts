/**
 * `@azmi/node-io`: the Node shell of azmi.
 *
 * @since 0.1.0
 */
export type { NodeTransport, NodeTransportOptions } from './transport/createNodeTransport.js'
export { createNodeTransport, DEFAULT_MAX_RESPONSE_BYTES } from './transport/createNodeTransport.js'
