/**
 * The running emulator as its users see it: the {@link Emulator} handle `startEmulator`
 * returns, and the options that shape it.
 *
 * @module
 */
import type {
  ArcAgentMode,
  EnvironmentName,
  EnvironmentStats,
  Fault,
  ImdsLimits,
  Outage,
  RecordedRequest,
  Revocation,
  UserAssignedIdentity,
} from './model.js'

/** One of the two CAs (and the certificate each signed) of the emulated AKS token proxy. */
export type TokenProxyCa = 'first' | 'second'

/** What `rotateTokenProxyCa` switches to. */
export interface TokenProxyRotation {
  /** The certificate new connections get; default: the one not served now. */
  readonly serve?: TokenProxyCa
  /**
   * What the CA file holds afterwards; default: the CA of `serve`. `both` is the two PEMs
   * one after the other; `empty` is a zero-byte file, as seen in the middle of a rotation.
   */
  readonly caFile?: TokenProxyCa | 'both' | 'empty'
}

/** The emulated AKS token proxy (identity bindings, `docs/protocol.md §2.7`). */
export interface TokenProxy {
  /** `https://127.0.0.1:PORT/<path>`: the value of `AZURE_KUBERNETES_TOKEN_PROXY`. */
  readonly url: string
  /** The only name its certificates are valid for (`AZURE_KUBERNETES_SNI_NAME`); not 127.0.0.1. */
  readonly sniName: string
  /** The CA file the emulator writes (`AZURE_KUBERNETES_CA_FILE`); deleted by `close()`. */
  readonly caFile: string
  /** Which CA signed the certificate new connections get now. */
  readonly serving: TokenProxyCa
  /** PEM of the CA that signed the certificate served now (for `AZURE_KUBERNETES_CA_DATA`). */
  readonly caPem: string
  /** PEM of each CA. */
  readonly caPems: Readonly<Record<TokenProxyCa, string>>
}

/** Options of `env(name, options)`. */
export interface EnvOptions {
  /** WorkloadIdentity only: add the AKS token proxy variables. */
  readonly tokenProxy?: boolean
  /** With `tokenProxy`: pass the CA as `AZURE_KUBERNETES_CA_FILE` (default) or `AZURE_KUBERNETES_CA_DATA`. */
  readonly tokenProxyCa?: 'file' | 'data'
}

/** A running emulator. Every server listens on 127.0.0.1. */
export interface Emulator {
  /** The plain-HTTP server: `http://127.0.0.1:PORT`. */
  readonly url: string
  /** The HTTPS server of the emulated Entra ID endpoint: `https://127.0.0.1:PORT`. */
  readonly tlsUrl: string
  /** The test CA that signed `tlsUrl`'s certificate. */
  readonly caCertificatePem: string
  /** Upper-case hex SHA-1 of the certificate Service Fabric serves to new connections now. */
  readonly serviceFabricThumbprint: string
  /** The tenant of every token (`tid`, `iss`) and of the emulated Entra ID endpoint. */
  readonly tenantId: string
  /** The identities tokens are issued for. */
  readonly identities: {
    /** The one user-assigned identity, which a request names by one of its ids. */
    readonly user: UserAssignedIdentity
    /** The system-assigned identity, which answers requests that name none. */
    readonly system: UserAssignedIdentity
  }
  /** Where Azure Arc challenge key files are written. */
  readonly arcKeyDirectory: string
  /** `http://127.0.0.1:PORT` of the Arc agent listener when `arcAgentPort` was given, else `undefined`. */
  readonly arcAgentUrl: string | undefined
  /** The emulated AKS token proxy. */
  readonly tokenProxy: TokenProxy
  /** The environment variables a client in that hosting environment sees. */
  env(environment: EnvironmentName, options?: EnvOptions): Record<string, string>
  /** Requests received, oldest first (all environments). */
  readonly requests: ReadonlyArray<RecordedRequest>
  /** Forgets the recorded requests. */
  clearRequests(): void
  /** Scripted faults consumed one per token request to that environment, in order; afterwards normal behaviour. */
  script(environment: EnvironmentName, faults: ReadonlyArray<Fault>): void
  /** Starts (or replaces) an outage of that environment's token endpoint. */
  outage(environment: EnvironmentName, outage: Outage): void
  /** Ends that environment's outage now, if it has one. */
  endOutage(environment: EnvironmentName): void
  /** Turns the IMDS limits on (or off with `undefined`); counts restart from zero. */
  setImdsLimits(limits: ImdsLimits | undefined): void
  /** The delay before each normal IMDS token answer, in milliseconds (0 for none). */
  setImdsLatency(latencyMs: number): void
  /** Switches the emulated Azure Arc agent between current and legacy behaviour. */
  setArcAgent(mode: ArcAgentMode): void
  /** Counts of that environment's token requests. */
  stats(environment: EnvironmentName): EnvironmentStats
  /** Sets the counts of one environment (or all) back to zero; the peak restarts at what is open now. */
  resetStats(environment?: EnvironmentName): void
  /** Service Fabric requests that named a token to refresh, oldest first. */
  readonly revocations: ReadonlyArray<Revocation>
  /** Whether `accessToken` is a Service Fabric token a later request revoked. */
  isRevoked(accessToken: string): boolean
  /** Service Fabric: switch the served certificate (to test pinning against a changed cert). */
  useServiceFabricCertificate(which: 'primary' | 'alternate'): void
  /** AKS token proxy: switch the served certificate and rewrite the CA file (synchronously). */
  rotateTokenProxyCa(rotation?: TokenProxyRotation): void
  /** Closes the servers and every open socket, clears timers and deletes the files it wrote. */
  close(): Promise<void>
}

/** Options of `startEmulator`. */
export interface EmulatorOptions {
  /**
   * Where Arc key files go. Default: `/var/opt/azcmagent/tokens` on Linux as root (the only
   * directory a careful client accepts there), otherwise a fresh temporary directory.
   */
  readonly arcKeyDirectory?: string
  /** Lifetime of issued tokens; default 86400 (24 hours, like IMDS). */
  readonly tokenLifetimeSeconds?: number
  /** AzureML: send `expires_on` as `M/D/YYYY h:MM:SS AM +00:00` instead of epoch seconds. */
  readonly azureMlDateExpiry?: boolean
  /** Default: a random GUID. */
  readonly tenantId?: string
  /** Enforce IMDS's managed-identity limits from the start (see `setImdsLimits`). */
  readonly imdsLimits?: ImdsLimits
  /** Delay each normal IMDS token answer by this many milliseconds, so that concurrency builds up. */
  readonly imdsLatencyMs?: number
  /** How the Arc agent treats user-assigned selectors; default `current`. */
  readonly arcAgent?: ArcAgentMode
  /**
   * Also serve Azure Arc on `127.0.0.1:<port>` at the agent's own paths
   * (`/metadata/identity/oauth2/token`), as the installed agent does on 40342.
   * `startEmulator` rejects if the port is taken.
   */
  readonly arcAgentPort?: number
  /** The path of the token proxy URL; default `/token-proxy` (`/` for none). */
  readonly tokenProxyPath?: string
}
