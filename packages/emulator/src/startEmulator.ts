/**
 * Wires the emulator: the options checked, the shared state, the servers, the request log,
 * the conditions (fault queues, outages, IMDS limits, counts) and the timers, behind the
 * {@link Emulator} interface that `emulatorHandle.ts` builds.
 *
 * @module
 */
import { randomBytes, randomUUID } from 'node:crypto'
import { type Certificates, loadCertificates, sha1Thumbprint, tokenProxySniName } from './certificates.js'
import { handleRequests } from './dispatch.js'
import type { Emulator, EmulatorOptions } from './Emulator.js'
import { createEmulatorFiles, type EmulatorFiles } from './emulatorFiles.js'
import { emulatorOver } from './emulatorHandle.js'
import { checkOptions } from './emulatorOptions.js'
import { environments } from './environments/all.js'
import { createArcKeys } from './environments/arcKeys.js'
import type { EmulatorState, ListenerName } from './environments/Environment.js'
import { createTokenLedger } from './environments/tokenLedger.js'
import { createFaultQueues } from './faultQueues.js'
import { createIdentities } from './identities.js'
import type { ArcAgentMode, RecordedRequest } from './model.js'
import { mountsOf, normalizeProxyPath } from './mounts.js'
import { createOutages } from './outages.js'
import { createRequestStats } from './requestStats.js'
import { startServers } from './servers.js'
import { createTimers } from './timers.js'
import { createTokenProxyTls, type TokenProxyTls } from './tokenProxyTls.js'
import { createImdsConditions } from './tokenRequests.js'
import { tokenIssuer } from './tokens.js'

const defaultTokenLifetimeSeconds = 86_400

const secret = (): string => randomBytes(24).toString('hex')

/** What the state reads at the moment it is asked, because tests may change it. */
interface Switches {
  serviceFabricThumbprint(): string
  arcAgent(): ArcAgentMode
  readonly tokenProxyTls: TokenProxyTls
}

const createState = (options: EmulatorOptions, files: EmulatorFiles, switches: Switches): EmulatorState => ({
  identities: createIdentities(),
  tenantId: options.tenantId ?? randomUUID(),
  secrets: { appService: secret(), serviceFabric: secret(), azureMl: secret() },
  federatedToken: { path: files.federatedTokenPath, text: files.federatedToken },
  arcKeys: createArcKeys(files.arcKeyDirectory),
  azureMlDateExpiry: options.azureMlDateExpiry ?? false,
  serviceFabricThumbprint: switches.serviceFabricThumbprint,
  arcAgent: switches.arcAgent,
  serviceFabricTokens: createTokenLedger(),
  tokenProxy: {
    path: normalizeProxyPath(options.tokenProxyPath ?? '/token-proxy'),
    sniName: tokenProxySniName,
    caFile: files.tokenProxyCaPath,
    caPem: () => switches.tokenProxyTls.caPem(switches.tokenProxyTls.serving()),
  },
})

/** The state and every switch, before any server listens. */
const prepare = (options: EmulatorOptions, certificates: Certificates, files: EmulatorFiles) => {
  const thumbprints = {
    primary: sha1Thumbprint(certificates.serviceFabric.primary.cert),
    alternate: sha1Thumbprint(certificates.serviceFabric.alternate.cert),
  }
  const selected = {
    serviceFabric: 'primary' as 'primary' | 'alternate',
    arcAgent: options.arcAgent ?? 'current',
  }
  const tokenProxyTls = createTokenProxyTls(certificates.tokenProxy, files.tokenProxyCaPath)
  const state = createState(options, files, {
    serviceFabricThumbprint: () => thumbprints[selected.serviceFabric],
    arcAgent: () => selected.arcAgent,
    tokenProxyTls,
  })
  return { state, selected, tokenProxyTls }
}

/** What every listener's handler shares: the state, the issuers, the conditions, the log. */
const createDispatch = (options: EmulatorOptions, state: EmulatorState, log: RecordedRequest[]) => {
  const minting = {
    signingKey: randomBytes(32),
    tenantId: state.tenantId,
    lifetimeSeconds: options.tokenLifetimeSeconds ?? defaultTokenLifetimeSeconds,
  }
  const imds = { limits: options.imdsLimits, latencyMs: options.imdsLatencyMs }
  return {
    state,
    issuers: { valid: tokenIssuer(minting, 'valid'), expired: tokenIssuer(minting, 'expired') },
    conditions: {
      faults: createFaultQueues(),
      outages: createOutages(Date.now),
      stats: createRequestStats(),
      imds: createImdsConditions(imds, Date.now),
    },
    timers: createTimers(),
    record: (request: RecordedRequest) => void log.push(request),
  }
}

/** Everything after the files exist; the caller deletes them if this fails. */
const startWithFiles = async (
  options: EmulatorOptions,
  certificates: Certificates,
  files: EmulatorFiles,
): Promise<Emulator> => {
  const { state, selected, tokenProxyTls } = prepare(options, certificates, files)
  const log: RecordedRequest[] = []
  const dispatch = createDispatch(options, state, log)
  const handlerFor = (listener: ListenerName) =>
    handleRequests({ ...dispatch, mounts: mountsOf(listener, environments, state.tokenProxy.path) })
  const servers = await startServers(certificates, handlerFor, options.arcAgentPort)
  const { caPem } = certificates
  return emulatorOver({ dispatch, log, servers, files, caPem, selected, tokenProxyTls })
}

/**
 * Starts an emulator of every managed-identity hosting environment on 127.0.0.1.
 * Rejects with a `RangeError` for an option out of range (a `tokenLifetimeSeconds` that is not
 * a positive integer, malformed `imdsLimits`, ...), and with an error of code `EADDRINUSE`
 * when `arcAgentPort` is taken; either way nothing is left listening or on disk.
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
  checkOptions(options)
  const certificates = await loadCertificates()
  const files = await createEmulatorFiles(options.arcKeyDirectory)
  try {
    return await startWithFiles(options, certificates, files)
  } catch (error) {
    await files.remove()
    throw error
  }
}
