/**
 * The {@link Emulator} handle over a started emulator's parts: what a test reads (URLs,
 * identities, requests, counts) and the switches it flips (faults, outages, limits, the Arc
 * agent mode, certificates), and `close`.
 *
 * @module
 */
import type { Dispatch } from './dispatch.js'
import type { Emulator, TokenProxy } from './Emulator.js'
import type { EmulatorFiles } from './emulatorFiles.js'
import { checkArcAgentMode } from './emulatorOptions.js'
import { environmentByName } from './environments/all.js'
import type { ArcAgentMode, RecordedRequest } from './model.js'
import { tokenProxyUrl } from './mounts.js'
import type { Servers } from './servers.js'
import type { TokenProxyTls } from './tokenProxyTls.js'

/** The parts behind one running emulator. */
export interface EmulatorHandleParts {
  readonly dispatch: Omit<Dispatch, 'mounts'>
  readonly log: RecordedRequest[]
  readonly servers: Servers
  readonly files: EmulatorFiles
  readonly caPem: string
  /** The switches the state reads; the handle flips them. */
  readonly selected: { serviceFabric: 'primary' | 'alternate'; arcAgent: ArcAgentMode }
  readonly tokenProxyTls: TokenProxyTls
}

const tokenProxyOf = ({ dispatch, servers, tokenProxyTls }: EmulatorHandleParts): TokenProxy => {
  const { path, sniName, caFile } = dispatch.state.tokenProxy
  return {
    url: tokenProxyUrl(servers.endpoints.tokenProxy, path),
    sniName,
    caFile,
    get serving() {
      return tokenProxyTls.serving()
    },
    get caPem() {
      return tokenProxyTls.caPem(tokenProxyTls.serving())
    },
    caPems: { first: tokenProxyTls.caPem('first'), second: tokenProxyTls.caPem('second') },
  }
}

/** Reading: URLs, identities, the log, counts and revocations. */
const observers = (parts: EmulatorHandleParts) => {
  const { dispatch, log, servers, files, caPem } = parts
  const { state, conditions } = dispatch
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
    arcAgentUrl: servers.endpoints.arcAgent,
    tokenProxy: tokenProxyOf(parts),
    env: (environment, options = {}) =>
      environmentByName(environment).variables(servers.endpoints, state, options),
    get requests() {
      return [...log]
    },
    clearRequests: () => {
      log.length = 0
    },
    stats: (environment) => conditions.stats.get(environmentByName(environment).name),
    resetStats: (environment) =>
      conditions.stats.reset(environment === undefined ? undefined : environmentByName(environment).name),
    get revocations() {
      return state.serviceFabricTokens.revocations()
    },
    isRevoked: (accessToken) => state.serviceFabricTokens.isRevoked(accessToken),
  } satisfies Partial<Emulator>
}

/** Switching: faults, outages, IMDS limits, the Arc agent mode, certificates. */
const switches = ({ dispatch, servers, selected, tokenProxyTls }: EmulatorHandleParts) => {
  const { faults, outages, imds } = dispatch.conditions
  return {
    script: (environment, scripted) => faults.replace(environment, scripted),
    outage: (environment, outage) => outages.start(environmentByName(environment).name, outage),
    endOutage: (environment) => outages.end(environment),
    setImdsLimits: (limits) => imds.setLimits(limits),
    setImdsLatency: (latencyMs) => imds.setLatency(latencyMs),
    setArcAgent: (mode) => {
      checkArcAgentMode(mode)
      selected.arcAgent = mode
    },
    useServiceFabricCertificate: (which) => {
      servers.useServiceFabricCertificate(which)
      selected.serviceFabric = which
    },
    rotateTokenProxyCa: (rotation) => servers.useTokenProxyCertificate(tokenProxyTls.rotate(rotation)),
  } satisfies Partial<Emulator>
}

/** The handle; `close` runs once, however often it is called. */
export const emulatorOver = (parts: EmulatorHandleParts): Emulator => {
  const { dispatch, servers, files } = parts
  let closing: Promise<void> | undefined
  const close = async (): Promise<void> => {
    dispatch.timers.clearAll()
    await servers.close()
    dispatch.state.arcKeys.removeAll()
    await files.remove()
  }
  // Merged by descriptor: a spread would read each getter (requests, thumbprint, ...) once, now.
  return Object.defineProperties(
    {
      close: () => {
        closing ??= close()
        return closing
      },
    },
    {
      ...Object.getOwnPropertyDescriptors(observers(parts)),
      ...Object.getOwnPropertyDescriptors(switches(parts)),
    },
  ) as Emulator
}
