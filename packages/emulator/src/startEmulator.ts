/**
 * Wires the emulator: the shared state, the three servers, the request log, the fault
 * queues and the timers, behind the {@link Emulator} interface.
 *
 * @module
 */
import { randomBytes, randomUUID } from 'node:crypto'
import { loadCertificates, sha1Thumbprint } from './certificates.js'
import { type Dispatch, handleRequests } from './dispatch.js'
import { createEmulatorFiles, type EmulatorFiles } from './emulatorFiles.js'
import { environmentByName, environments } from './environments/all.js'
import { createArcKeys } from './environments/arcKeys.js'
import type { EmulatorState } from './environments/Environment.js'
import { createFaultQueues } from './faultQueues.js'
import { createIdentities } from './identities.js'
import type { Emulator, EmulatorOptions, RecordedRequest } from './model.js'
import { type Servers, startServers } from './servers.js'
import { createTimers } from './timers.js'
import { tokenIssuer } from './tokens.js'

const defaultTokenLifetimeSeconds = 86_400

const secret = (): string => randomBytes(24).toString('hex')

const createState = (
  options: EmulatorOptions,
  files: EmulatorFiles,
  thumbprint: () => string,
): EmulatorState => ({
  identities: createIdentities(),
  tenantId: options.tenantId ?? randomUUID(),
  secrets: { appService: secret(), serviceFabric: secret(), azureMl: secret() },
  federatedToken: { path: files.federatedTokenPath, text: files.federatedToken },
  arcKeys: createArcKeys(files.arcKeyDirectory),
  azureMlDateExpiry: options.azureMlDateExpiry ?? false,
  serviceFabricThumbprint: thumbprint,
})

/** The parts behind one running emulator. */
interface Parts {
  readonly dispatch: Omit<Dispatch, 'environments'>
  readonly log: RecordedRequest[]
  readonly servers: Servers
  readonly files: EmulatorFiles
  readonly caPem: string
  readonly selectServiceFabricCertificate: (which: 'primary' | 'alternate') => void
}

const emulatorOver = ({
  dispatch,
  log,
  servers,
  files,
  caPem,
  selectServiceFabricCertificate,
}: Parts): Emulator => {
  const { state, faults, timers } = dispatch
  let closing: Promise<void> | undefined
  const close = async (): Promise<void> => {
    timers.clearAll()
    await servers.close()
    state.arcKeys.removeAll()
    await files.remove()
  }
  return {
    url: servers.endpoints.http,
    tlsUrl: servers.endpoints.entra,
    caCertificatePem: caPem,
    get serviceFabricThumbprint() {
      return state.serviceFabricThumbprint()
    },
    tenantId: state.tenantId,
    identities: state.identities,
    arcKeyDirectory: files.arcKeyDirectory,
    env: (environment) => environmentByName(environment).variables(servers.endpoints, state),
    get requests() {
      return [...log]
    },
    clearRequests: () => {
      log.length = 0
    },
    script: (environment, scripted) => faults.replace(environment, scripted),
    useServiceFabricCertificate: selectServiceFabricCertificate,
    close: () => {
      closing ??= close()
      return closing
    },
  }
}

/**
 * Starts an emulator of every managed-identity hosting environment on 127.0.0.1.
 * Rejects with a `RangeError` for a `tokenLifetimeSeconds` that is not a positive integer.
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
  const lifetime = options.tokenLifetimeSeconds
  if (lifetime !== undefined && !(Number.isSafeInteger(lifetime) && lifetime > 0))
    throw new RangeError(`tokenLifetimeSeconds must be a whole number of seconds > 0, got ${lifetime}`)
  const certificates = await loadCertificates()
  const thumbprints = {
    primary: sha1Thumbprint(certificates.serviceFabric.primary.cert),
    alternate: sha1Thumbprint(certificates.serviceFabric.alternate.cert),
  }
  let serviceFabricCertificate: 'primary' | 'alternate' = 'primary'
  const files = await createEmulatorFiles(options.arcKeyDirectory)
  const state = createState(options, files, () => thumbprints[serviceFabricCertificate])
  const minting = {
    signingKey: randomBytes(32),
    tenantId: state.tenantId,
    lifetimeSeconds: lifetime ?? defaultTokenLifetimeSeconds,
  }
  const log: RecordedRequest[] = []
  const dispatch = {
    state,
    issuers: { valid: tokenIssuer(minting, 'valid'), expired: tokenIssuer(minting, 'expired') },
    faults: createFaultQueues(),
    timers: createTimers(),
    record: (request: RecordedRequest) => void log.push(request),
  }
  const servers = await startServers(certificates, (listener) =>
    handleRequests({ ...dispatch, environments: environments.filter((each) => each.listener === listener) }),
  ).catch(async (error: unknown) => {
    await files.remove()
    throw error
  })
  const selectServiceFabricCertificate = (which: 'primary' | 'alternate'): void => {
    servers.useServiceFabricCertificate(which)
    serviceFabricCertificate = which
  }
  return emulatorOver({
    dispatch,
    log,
    servers,
    files,
    caPem: certificates.caPem,
    selectServiceFabricCertificate,
  })
}
