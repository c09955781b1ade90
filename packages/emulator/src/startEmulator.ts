/**
 * Wires the emulator: three loopback servers (plain HTTP; HTTPS with the CA-signed
 * certificate for Entra ID; HTTPS with a Service Fabric cluster certificate), the shared
 * state, the request log and the fault queues.
 *
 * @module
 */
import { randomBytes, randomUUID } from 'node:crypto'
import { createServer as createHttpServer } from 'node:http'
import { createServer as createHttpsServer } from 'node:https'
import { type Certificates, loadCertificates, sha1Thumbprint } from './certificates.js'
import { handleRequests } from './dispatch.js'
import { createEmulatorFiles } from './emulatorFiles.js'
import { environmentByName, environments } from './environments/all.js'
import { createArcKeys } from './environments/arcKeys.js'
import type { EmulatorState, Endpoints, ListenerName } from './environments/Environment.js'
import { createFaultQueues } from './faultQueues.js'
import { createIdentities } from './identities.js'
import { type Listener, listenOnLoopback } from './listener.js'
import type { Emulator, EmulatorOptions, RecordedRequest } from './model.js'
import { createTimers } from './timers.js'
import { tokenIssuer } from './tokens.js'

const defaultTokenLifetimeSeconds = 86_400

const secret = (): string => randomBytes(24).toString('hex')

type RequestHandler = ReturnType<typeof handleRequests>

/** Starts the three servers; if one fails to listen, closes those already listening. */
const startListeners = async (
  certificates: Certificates,
  handlerFor: (listener: ListenerName) => RequestHandler,
): Promise<{
  listeners: Record<ListenerName, Listener>
  useServiceFabric: (which: 'primary' | 'alternate') => void
}> => {
  const serviceFabric = createHttpsServer(certificates.serviceFabric.primary, handlerFor('serviceFabric'))
  const servers = {
    http: createHttpServer(handlerFor('http')),
    entra: createHttpsServer(certificates.entra, handlerFor('entra')),
    serviceFabric,
  }
  const started = await Promise.allSettled(
    (Object.entries(servers) as Array<[ListenerName, (typeof servers)[ListenerName]]>).map(
      async ([name, server]) => [name, await listenOnLoopback(server)] as const,
    ),
  )
  const listening = started.flatMap((each) => (each.status === 'fulfilled' ? [each.value] : []))
  const failure = started.find((each) => each.status === 'rejected')
  if (failure !== undefined) {
    await Promise.all(listening.map(([, listener]) => listener.close()))
    throw failure.reason
  }
  return {
    listeners: Object.fromEntries(listening) as Record<ListenerName, Listener>,
    // New connections get the new certificate; open keep-alive connections keep the old one, as on a real node.
    useServiceFabric: (which) => serviceFabric.setSecureContext(certificates.serviceFabric[which]),
  }
}

/**
 * Starts an emulator of every managed-identity hosting environment on 127.0.0.1.
 *
 * @example
 * ```ts
 * const emulator = await startEmulator()
 * const env = emulator.env('AppService') // IDENTITY_ENDPOINT, IDENTITY_HEADER
 * emulator.script('AppService', [{ status: 503 }, { delayMs: 100 }])
 * await emulator.close()
 * ```
 */
export const startEmulator = async (options: EmulatorOptions = {}): Promise<Emulator> => {
  const certificates = await loadCertificates()
  const files = await createEmulatorFiles(options.arcKeyDirectory)
  let serviceFabricCertificate: 'primary' | 'alternate' = 'primary'
  const thumbprints = {
    primary: sha1Thumbprint(certificates.serviceFabric.primary.cert),
    alternate: sha1Thumbprint(certificates.serviceFabric.alternate.cert),
  }
  const state: EmulatorState = {
    identities: createIdentities(),
    tenantId: options.tenantId ?? randomUUID(),
    secrets: { appService: secret(), serviceFabric: secret(), azureMl: secret() },
    federatedToken: { path: files.federatedTokenPath, text: files.federatedToken },
    arcKeys: createArcKeys(files.arcKeyDirectory),
    azureMlDateExpiry: options.azureMlDateExpiry ?? false,
    serviceFabricThumbprint: () => thumbprints[serviceFabricCertificate],
  }
  const minting = {
    signingKey: randomBytes(32),
    tenantId: state.tenantId,
    lifetimeSeconds: options.tokenLifetimeSeconds ?? defaultTokenLifetimeSeconds,
  }
  const log: RecordedRequest[] = []
  const faults = createFaultQueues()
  const timers = createTimers()
  const handlerFor = (listener: ListenerName) =>
    handleRequests({
      environments: environments.filter((each) => each.listener === listener),
      state,
      issuers: { valid: tokenIssuer(minting, 'valid'), expired: tokenIssuer(minting, 'expired') },
      faults,
      timers,
      record: (request) => log.push(request),
    })
  const started = await startListeners(certificates, handlerFor).catch(async (error: unknown) => {
    await files.remove()
    throw error
  })
  const { listeners } = started
  const endpoints: Endpoints = {
    http: `http://127.0.0.1:${listeners.http.port}`,
    entra: `https://127.0.0.1:${listeners.entra.port}`,
    serviceFabric: `https://127.0.0.1:${listeners.serviceFabric.port}`,
  }
  let closing: Promise<void> | undefined
  return {
    url: endpoints.http,
    tlsUrl: endpoints.entra,
    caCertificatePem: certificates.caPem,
    get serviceFabricThumbprint() {
      return state.serviceFabricThumbprint()
    },
    tenantId: state.tenantId,
    identities: state.identities,
    arcKeyDirectory: files.arcKeyDirectory,
    env: (environment) => environmentByName(environment).variables(endpoints, state),
    get requests() {
      return [...log]
    },
    clearRequests: () => {
      log.length = 0
    },
    script: (environment, scripted) => faults.replace(environment, scripted),
    useServiceFabricCertificate: (which) => {
      started.useServiceFabric(which)
      serviceFabricCertificate = which
    },
    close: () => {
      closing ??= (async () => {
        timers.clearAll()
        await Promise.all(Object.values(listeners).map((listener) => listener.close()))
        state.arcKeys.removeAll()
        await files.remove()
      })()
      return closing
    },
  }
}
