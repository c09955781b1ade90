/**
 * The effects the core needs, passed in as values.
 *
 * The core never touches the network, the file system, the clock or a random source on its
 * own: a shell (`@azmi/node-io`, `@azmi/fetch-io`, a test) hands it this bundle. Everything a
 * source does is therefore reproducible from these functions alone.
 *
 * @since 0.1.0
 */
import type { Either } from 'fp-ts/lib/Either.js'
import type { HttpRequest, HttpResponse, TransportFailure } from './http.js'
import type { ConcurrencyLimiter } from './limiter.js'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/** The part of the web-standard `AbortSignal` the core uses (the core has no DOM types). */
export interface AbortSignalLike {
  /** Whether the signal has aborted. */
  readonly aborted: boolean
  /** Why it aborted, if it has. */
  readonly reason?: unknown
  /** Call `listener` when the signal aborts. */
  addEventListener(type: 'abort', listener: () => void, options?: { readonly once?: boolean }): void
  /** Stop calling `listener`. */
  removeEventListener(type: 'abort', listener: () => void): void
}

/** Why a file could not be read. Shells check these before reading a single byte. */
export type FileFailureKind =
  | 'not-found'
  /** a directory, FIFO, socket, device, or a symbolic link (links are never followed) */
  | 'not-regular-file'
  | 'too-large'
  | 'permission'
  /** this runtime was given no way to read files */
  | 'unsupported'
  | 'other'

/** Why a `readFile` capability could not deliver a file's text. */
export interface FileFailure {
  /** Tells a file failure from a file's text. */
  readonly _tag: 'FileFailure'
  /** What went wrong, as a case the core reacts to. */
  readonly kind: FileFailureKind
  /** Detail from the runtime; never the file's contents. */
  readonly detail: string
}

/** A `FileFailure` of `kind`; `detail` is the runtime's words (never the file's contents). */
export const fileFailure = (kind: FileFailureKind, detail: string): FileFailure => ({
  _tag: 'FileFailure',
  kind,
  detail,
})

/**
 * Facts about the host that are not environment variables (docs/protocol.md §1.1): where the
 * process runs, for Arc's key-directory rule, and whether the Azure Arc agent is installed.
 */
export interface Platform {
  /** The operating system, as far as the Arc rules care. */
  readonly os: 'linux' | 'win32' | 'other'
  /** `%ProgramData%` on Windows. */
  readonly programData?: string
  /** `%ProgramFiles%` on Windows, where the Arc agent's `himds.exe` lives. */
  readonly programFiles?: string
  /** The Azure Arc agent's `himds` binary exists on this host (docs/protocol.md §2.4). */
  readonly arcAgentInstalled?: boolean
}

/** A structured, redacted event for the caller's logger. */
export interface LogEvent {
  /** What happened; the other fields depend on it and never hold a secret. */
  readonly event:
    | 'source-selected'
    | 'request-sent'
    | 'reply-received'
    | 'retry-scheduled'
    | 'token-cached'
    | 'refresh-started'
    | 'refresh-failed'
    | 'stale-token-served'
    | 'probe-succeeded'
    | 'probe-failed'
    | 'revocation-skipped'
    | 'throttle-opened'
    | 'throttle-closed'
    | 'throttled'
    | 'failed'
  readonly [field: string]: string | number | boolean | undefined
}

/**
 * What the core tells a capability about the work it asks for. `background`: no caller is
 * waiting (a background refresh), so the work must not keep the host process alive (Node:
 * `unref` its timers and sockets).
 */
export interface CallHints {
  /** No caller waits on this work. */
  readonly background?: boolean
}

/**
 * Everything effectful the core uses, passed in by a shell (docs/embedding.md lists what each
 * must and must not do).
 */
export interface Capabilities {
  /**
   * Send one request. Resolve with the reply, whatever its status, or with a
   * `TransportFailure`; reject only for bugs (the core treats a rejection as `other`).
   * Honour `request.timeoutMs`, `request.tls` and `signal`; never follow redirects.
   */
  readonly send: (
    request: HttpRequest,
    signal: AbortSignalLike | undefined,
    hints?: CallHints,
  ) => Promise<Either<TransportFailure, HttpResponse>>
  /**
   * Read a regular file (never through a symbolic link) as UTF-8, refusing files larger
   * than `maxBytes` before reading them. Absent when the runtime cannot read files.
   */
  readonly readFile?: (path: string, maxBytes: number) => Promise<Either<FileFailure, string>>
  /** Milliseconds since the epoch. */
  readonly now: () => number
  /** Wait `ms`; resolve early when `signal` aborts. Retry waits use it. */
  readonly sleep: (ms: number, signal: AbortSignalLike | undefined, hints?: CallHints) => Promise<void>
  /**
   * A watchdog: resolve after `ms` of real time, or early when `signal` aborts. The interpreter
   * races every send and file read against it, so an injected `send` or `readFile` that never
   * settles still ends at its deadline. Default: `sleep`. (A fake world whose `sleep` moves a
   * virtual clock passes a timer that never fires.)
   */
  readonly timer?: (ms: number, signal: AbortSignalLike | undefined, hints?: CallHints) => Promise<void>
  /** A uniform draw in [0, 1), for retry jitter. */
  readonly random: () => number
  /** Where the process runs. */
  readonly platform: Platform
  /** A fresh random UUID, for `x-ms-client-request-id`. Default: one drawn from `random`. */
  readonly uuid?: () => string
  /** The lowercase hex SHA-256 of `text`'s UTF-8 bytes (Service Fabric revocation). */
  readonly sha256?: (text: string) => Promise<string>
  /**
   * The limiter every request to IMDS waits on (docs/protocol.md §5.1). A shell passes one
   * shared by the whole process; without one, IMDS requests are not limited.
   */
  readonly imdsLimiter?: ConcurrencyLimiter
  /** Receives structured, redacted events. A throwing logger is ignored. */
  readonly log?: (event: LogEvent) => void
}
