/**
 * The emulator's loopback servers: plain HTTP for most environments, HTTPS with the
 * CA-signed certificate for Entra ID, HTTPS with a Service Fabric cluster certificate, HTTPS
 * with the AKS token proxy's own certificate (one TLS listener presents one certificate, so
 * each gets a server of its own), and, when asked for, plain HTTP on the Arc agent's port.
 *
 * @module
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import { createServer as createHttpServer } from 'node:http'
import { createServer as createHttpsServer } from 'node:https'
import type { Server } from 'node:net'
import type { Certificates } from './certificates.js'
import type { TokenProxyCa } from './Emulator.js'
import type { Endpoints, ListenerName } from './environments/Environment.js'
import { type Listener, listenOnLoopback } from './listener.js'

/** The request handler a listener runs. */
export type RequestHandler = (request: IncomingMessage, response: ServerResponse) => void

/** Listening servers. */
export interface Servers {
  readonly endpoints: Endpoints
  /** New connections get the new certificate; open keep-alive connections keep the old one, as on a real node. */
  useServiceFabricCertificate(which: 'primary' | 'alternate'): void
  /** The same for the token proxy: new connections get the certificate signed by `which` CA. */
  useTokenProxyCertificate(which: TokenProxyCa): void
  /** Closes every server and every open connection. */
  close(): Promise<void>
}

/** A server and the port it must have (0: any). */
type Planned = readonly [ListenerName, Server, number]

const listenAll = async (planned: ReadonlyArray<Planned>): Promise<Map<ListenerName, Listener>> => {
  const started = await Promise.allSettled(planned.map(([, server, port]) => listenOnLoopback(server, port)))
  const listening = started.flatMap((each) => (each.status === 'fulfilled' ? [each.value] : []))
  const failure = started.find((each) => each.status === 'rejected')
  if (failure !== undefined) {
    // Do not leave the servers that did start holding ports and the event loop.
    await Promise.all(listening.map((listener) => listener.close()))
    throw failure.reason
  }
  return new Map(planned.map(([name], index) => [name, listening[index] as Listener]))
}

const baseUrl = (scheme: 'http' | 'https', listener: Listener | undefined): string =>
  `${scheme}://127.0.0.1:${listener?.port ?? 0}`

const endpointsOf = (listeners: Map<ListenerName, Listener>): Endpoints => {
  const arcAgent = listeners.get('arcAgent')
  return {
    http: baseUrl('http', listeners.get('http')),
    entra: baseUrl('https', listeners.get('entra')),
    serviceFabric: baseUrl('https', listeners.get('serviceFabric')),
    tokenProxy: baseUrl('https', listeners.get('tokenProxy')),
    ...(arcAgent === undefined ? {} : { arcAgent: baseUrl('http', arcAgent) }),
  }
}

/**
 * Starts the servers, each running the handler `handlerFor` gives it: on ephemeral ports,
 * except the Arc agent listener, which exists only with `arcAgentPort` and must get that port.
 */
export const startServers = async (
  certificates: Certificates,
  handlerFor: (listener: ListenerName) => RequestHandler,
  arcAgentPort: number | undefined,
): Promise<Servers> => {
  const serviceFabric = createHttpsServer(certificates.serviceFabric.primary, handlerFor('serviceFabric'))
  const tokenProxy = createHttpsServer(certificates.tokenProxy.first, handlerFor('tokenProxy'))
  const planned: Planned[] = [
    ['http', createHttpServer(handlerFor('http')), 0],
    ['entra', createHttpsServer(certificates.entra, handlerFor('entra')), 0],
    ['serviceFabric', serviceFabric, 0],
    ['tokenProxy', tokenProxy, 0],
  ]
  if (arcAgentPort !== undefined)
    planned.push(['arcAgent', createHttpServer(handlerFor('arcAgent')), arcAgentPort])
  const listeners = await listenAll(planned)
  return {
    endpoints: endpointsOf(listeners),
    useServiceFabricCertificate: (which) => serviceFabric.setSecureContext(certificates.serviceFabric[which]),
    useTokenProxyCertificate: (which) => tokenProxy.setSecureContext(certificates.tokenProxy[which]),
    close: async () => {
      await Promise.all([...listeners.values()].map((listener) => listener.close()))
    },
  }
}
