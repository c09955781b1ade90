/**
 * The public vocabulary of the emulator: the hosting environments it impersonates, the
 * identities it issues tokens for, the requests it records and the faults it can be told to
 * inject. Everything here is readonly plain data; behaviour lives in the other modules.
 *
 * @module
 */

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/** A managed-identity hosting environment, named as protocol.md §1.2 names the sources. */
export type EnvironmentName =
  | 'ServiceFabric'
  | 'AppService'
  | 'AzureArc'
  | 'AzureML'
  | 'CloudShell'
  | 'WorkloadIdentity'
  | 'Imds'

/** Every environment, in the precedence order of protocol.md §1.2. */
export const environmentNames: ReadonlyArray<EnvironmentName> = [
  'ServiceFabric',
  'AppService',
  'AzureArc',
  'AzureML',
  'CloudShell',
  'WorkloadIdentity',
  'Imds',
]

/** The three ways Azure names one managed identity. The system-assigned one has them too. */
export interface UserAssignedIdentity {
  readonly clientId: string
  readonly objectId: string
  readonly resourceId: string
}

/** One HTTP request as the emulator received it, before any fault was applied. */
export interface RecordedRequest {
  /** The environment whose path prefix matched, or `'unknown'` (answered 404). */
  readonly environment: EnvironmentName | 'unknown'
  readonly method: string
  /** The path without the query string, as sent (not decoded). */
  readonly path: string
  /** Decoded query parameters; for a repeated name the last value wins. */
  readonly query: Readonly<Record<string, string>>
  /** Lower-case header names, raw values as received; repeated headers joined with `', '`. */
  readonly headers: Readonly<Record<string, string>>
  /** The request body as UTF-8 text (`''` when there was none). */
  readonly body: string
  /** `Date.now()` when the request line arrived. */
  readonly at: number
}

/**
 * One scripted misbehaviour, consumed by one request to the environment it was scripted for.
 * `{ delayMs: 0 }` answers normally, which lets a script skip a request (for example the
 * Arc challenge, to fault the keyed request that follows it).
 */
export type Fault =
  /** Answer with this status; the body defaults to a small JSON error. */
  | { readonly status: number; readonly body?: string; readonly headers?: Readonly<Record<string, string>> }
  /** Answer normally after a delay. */
  | { readonly delayMs: number }
  /** Accept the request and never send headers; only the client's timeout (or `close()`) ends it. */
  | { readonly hang: true }
  /** Destroy the socket before any byte of the answer, or halfway through the body. */
  | { readonly drop: 'before-headers' | 'mid-body' }
  /** Send the normal answer in `chunks` pieces, `intervalMs` apart. */
  | { readonly trickle: { readonly chunks: number; readonly intervalMs: number } }
  /** A 200 whose body is exactly this many bytes, shaped like the start of a token reply. */
  | { readonly oversizedBodyBytes: number }
  /** A 200 that a careful client must reject (or, for `expired`, must not cache as valid). */
  | { readonly malformed: 'not-json' | 'no-access-token' | 'wrong-content-type' | 'expired' }
  /** A 302 to this URL; clients must not follow it. */
  | { readonly redirectTo: string }
  /** Azure Arc only: a challenge naming this realm path instead of a key file the emulator wrote. */
  | { readonly arcRealm: string }

/** A running emulator. Every server listens on 127.0.0.1 on an ephemeral port. */
export interface Emulator {
  /** The plain-HTTP server: `http://127.0.0.1:PORT`. */
  readonly url: string
  /** The HTTPS server of the emulated Entra ID endpoint: `https://127.0.0.1:PORT`. */
  readonly tlsUrl: string
  /** The test CA that signed `tlsUrl`'s certificate. */
  readonly caCertificatePem: string
  /** Upper-case hex SHA-1 of the certificate Service Fabric serves to new connections now. */
  readonly serviceFabricThumbprint: string
  readonly tenantId: string
  /** The identities tokens are issued for; `system` answers requests that name none. */
  readonly identities: { readonly user: UserAssignedIdentity; readonly system: UserAssignedIdentity }
  /** Where Azure Arc challenge key files are written. */
  readonly arcKeyDirectory: string
  /** The environment variables a client in that hosting environment sees. */
  env(environment: EnvironmentName): Record<string, string>
  /** Requests received, oldest first (all environments). */
  readonly requests: ReadonlyArray<RecordedRequest>
  /** Forgets the recorded requests. */
  clearRequests(): void
  /** Scripted faults consumed one per request to that environment, in order; afterwards normal behaviour. */
  script(environment: EnvironmentName, faults: ReadonlyArray<Fault>): void
  /** Service Fabric: switch the served certificate (to test pinning against a changed cert). */
  useServiceFabricCertificate(which: 'primary' | 'alternate'): void
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
}
