/**
 * The emulator's three loopback servers: plain HTTP for most environments, HTTPS with the
 * CA-signed certificate for Entra ID, and HTTPS with a Service Fabric cluster certificate
 * (a separate server, because one TLS listener presents one certificate).
 *
 * @module
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import { createServer as createHttpServer } from 'node:http'
import { createServer as createHttpsServer } from 'node:https'
import type { Certificates } from './certificates.js'
import type { Endpoints, ListenerName } from './environments/Environment.js'
import { type Listener, listenOnLoopback } from './listener.js'

/** The request handler a listener runs. */
export type RequestHandler = (request: IncomingMessage, response: ServerResponse) => void

/** Listening servers. */
export interface Servers {
  readonly endpoints: Endpoints
  /** New connections get the new certificate; open keep-alive connections keep the old one, as on a real node. */
  useServiceFabricCertificate(which: 'primary' | 'alternate'): void
  /** Closes every server and every open connection. */
  close(): Promise<void>
}

const listenAll = async (
  servers: Readonly<Record<ListenerName, Parameters<typeof listenOnLoopback>[0]>>,
): Promise<Record<ListenerName, Listener>> => {
  const names = Object.keys(servers) as ListenerName[]
  const started = await Promise.allSettled(names.map((name) => listenOnLoopback(servers[name])))
  const listening = started.flatMap((each) => (each.status === 'fulfilled' ? [each.value] : []))
  const failure = started.find((each) => each.status === 'rejected')
  if (failure !== undefined) {
    // Do not leave the servers that did start holding ports and the event loop.
    await Promise.all(listening.map((listener) => listener.close()))
    throw failure.reason
  }
  return Object.fromEntries(names.map((name, index) => [name, listening[index]])) as Record<
    ListenerName,
    Listener
  >
}

/** Starts the three servers on ephemeral ports; each runs the handler `handlerFor` gives it. */
export const startServers = async (
  certificates: Certificates,
  handlerFor: (listener: ListenerName) => RequestHandler,
): Promise<Servers> => {
  const serviceFabric = createHttpsServer(certificates.serviceFabric.primary, handlerFor('serviceFabric'))
  const listeners = await listenAll({
    http: createHttpServer(handlerFor('http')),
    entra: createHttpsServer(certificates.entra, handlerFor('entra')),
    serviceFabric,
  })
  return {
    endpoints: {
      http: `http://127.0.0.1:${listeners.http.port}`,
      entra: `https://127.0.0.1:${listeners.entra.port}`,
      serviceFabric: `https://127.0.0.1:${listeners.serviceFabric.port}`,
    },
    useServiceFabricCertificate: (which) => serviceFabric.setSecureContext(certificates.serviceFabric[which]),
    close: async () => {
      await Promise.all(Object.values(listeners).map((listener) => listener.close()))
    },
  }
}
