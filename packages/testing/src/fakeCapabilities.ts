/**
 * A fake world for the core: every capability it needs, in memory, recording what the core
 * asked for.
 *
 * - a **scripted endpoint**: a function answering each request, or a list of replies given
 *   in order; every request is recorded, as sent;
 * - **in-memory files**, read under the same size rule a shell applies;
 * - a **virtual clock** that moves only when the core sleeps (and, optionally, by a fixed
 *   latency per send), so retries, refresh and deadlines run instantly. Its watchdog `timer`
 *   never fires: on a virtual clock a real watchdog would end every send and read at once;
 * - deterministic `random`, `uuid` (counting UUIDs), a real `sha256` and a fresh IMDS limiter,
 *   each optional capability replaceable or removable, to test a runtime without it.
 *
 * @since 0.1.0
 */
import {
  type AbortSignalLike,
  type Capabilities,
  type ConcurrencyLimiter,
  createConcurrencyLimiter,
  type FileFailure,
  fileFailure,
  type HttpRequest,
  type LogEvent,
  type Platform,
  transportFailure,
} from '@azmi/core'
import { left, right } from 'fp-ts/lib/Either.js'
import { countingUuid, tokenResponse } from './fakeReplies.js'
import { DEFAULT_START } from './replyBodies.js'
import { type ScriptedReply, toOutcome } from './replySequences.js'
import { sha256Hex, utf8Bytes } from './sha256.js'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/** The fake endpoint: a function answering each request (`index` counts from 0), or the replies in order. */
export type Endpoint =
  | ((request: HttpRequest, index: number) => ScriptedReply | Promise<ScriptedReply>)
  | ReadonlyArray<ScriptedReply>

/** Options of {@link fakeCapabilities}; every one has a default. */
export interface FakeCapabilitiesOptions {
  /**
   * What the endpoint does. A list is answered in order; once it runs out, every further
   * request fails with `connect`. A function that never settles hangs the call: the virtual
   * clock has no watchdog, so script a `timeout` failure instead. Default: a token reply
   * ({@link tokenResponse}) to every request.
   */
  readonly endpoint?: Endpoint
  /** File contents (or the failure reading them gives) by path; other paths are `not-found`. */
  readonly files?: Readonly<Record<string, string | FileFailure>>
  /** Give the core a `readFile` capability. Default `true`; `false` models a runtime without one. */
  readonly readFile?: boolean
  /** Where the process runs. Default `{ os: 'linux' }`. */
  readonly platform?: Platform
  /** The virtual clock's start, in epoch ms. Default {@link DEFAULT_START}. */
  readonly startAt?: number
  /** Milliseconds each send moves the clock. Default 0. */
  readonly latencyMs?: number
  /** The jitter draw. Default `() => 0.5`: the middle of every retry window. */
  readonly random?: () => number
  /**
   * `'advance'` (default): each sleep moves the clock by its length and resolves at once.
   * `'until-aborted'`: each sleep resolves only when its signal aborts (to test abort during a wait).
   */
  readonly sleep?: 'advance' | 'until-aborted'
  /** The `uuid` capability, or `false` for none. Default: `00000000-0000-4000-8000-000000000001`, then `…002`, … */
  readonly uuid?: (() => string) | false
  /** The `sha256` capability, or `false` for none. Default: a real SHA-256 ({@link sha256Hex}). */
  readonly sha256?: ((text: string) => Promise<string>) | false
  /** The `imdsLimiter` capability, or `false` for none. Default: a fresh limiter of 5, this world's own. */
  readonly imdsLimiter?: ConcurrencyLimiter | false
  /** Also hand every log event to this function (they are recorded in `events` either way). */
  readonly log?: (event: LogEvent) => void
}

/** The capabilities and what the core did with them. */
export interface FakeWorld {
  /** Pass these to `createManagedIdentityClient`, `ManagedIdentityCredentialBase` or `runPlan`. */
  readonly capabilities: Capabilities
  /** Every request the core sent, in order, exactly as sent (timeout and request id included). */
  readonly sent: ReadonlyArray<HttpRequest>
  /** Every path the core read, in order. */
  readonly reads: ReadonlyArray<string>
  /** Every sleep the core asked for, in milliseconds, in order. */
  readonly sleeps: ReadonlyArray<number>
  /** Every log event, in order. */
  readonly events: ReadonlyArray<LogEvent>
  /** The virtual clock, in epoch ms. Assign to it (or call `advance`) to let time pass between calls. */
  now: number
  /** Move the virtual clock forward by `ms`. */
  readonly advance: (ms: number) => void
}

// -------------------------------------------------------------------------------------
// the world
// -------------------------------------------------------------------------------------

const answerer = (endpoint: Endpoint | undefined) => {
  if (endpoint === undefined) return () => tokenResponse()
  if (typeof endpoint === 'function') return endpoint
  return (_request: HttpRequest, index: number): ScriptedReply =>
    endpoint[index] ?? transportFailure('connect', 'the fake endpoint has no more replies')
}

/** Resolves when `signal` aborts (never, without one). */
const abortOf = (signal: AbortSignalLike | undefined): Promise<void> =>
  new Promise((resolve) => {
    if (signal?.aborted === true) resolve()
    else signal?.addEventListener('abort', () => resolve(), { once: true })
  })

/** A file's text, or why not: `not-found` when unlisted, `too-large` past `maxBytes` of UTF-8. */
const readFrom = (files: FakeCapabilitiesOptions['files'], path: string, maxBytes: number) => {
  const file = files?.[path]
  if (file === undefined) return left(fileFailure('not-found', `${path} does not exist`))
  if (typeof file !== 'string') return left(file)
  return utf8Bytes(file).length > maxBytes
    ? left(fileFailure('too-large', `${path} is larger than ${maxBytes} bytes`))
    : right(file)
}

/** What the world has recorded, and its clock. */
interface Recording {
  readonly sent: HttpRequest[]
  readonly reads: string[]
  readonly sleeps: number[]
  readonly events: LogEvent[]
  now: number
}

/** `send` over the scripted endpoint: recorded as sent, ended by an abort, moving the clock by the latency. */
const recordingSend = (record: Recording, options: FakeCapabilitiesOptions): Capabilities['send'] => {
  const respond = answerer(options.endpoint)
  return async (request, signal) => {
    const index = record.sent.length
    record.sent.push(request)
    if (signal?.aborted === true) return toOutcome(transportFailure('aborted', 'aborted before sending'))
    const aborted = abortOf(signal).then(() =>
      transportFailure('aborted', 'aborted while waiting for the reply'),
    )
    const reply = await Promise.race([Promise.resolve().then(() => respond(request, index)), aborted])
    // a real transport gives up at the request's timeout: a slower reply is a timeout
    const latency = options.latencyMs ?? 0
    record.now += Math.min(latency, request.timeoutMs)
    if (latency > request.timeoutMs)
      return toOutcome(transportFailure('timeout', `no reply within ${request.timeoutMs} ms`))
    return toOutcome(reply)
  }
}

/** `sleep` on the virtual clock: it moves by `ms` at once, or the sleep waits for its signal. */
const virtualSleep =
  (record: Recording, options: FakeCapabilitiesOptions): Capabilities['sleep'] =>
  (ms, signal) => {
    record.sleeps.push(ms)
    if (options.sleep === 'until-aborted') return abortOf(signal)
    if (signal?.aborted !== true) record.now += ms
    return Promise.resolve()
  }

/** `uuid`, `sha256` and `imdsLimiter`: the fakes, the caller's, or none. */
const optionalCapabilities = (options: FakeCapabilitiesOptions): Partial<Capabilities> => {
  const { uuid = countingUuid(), sha256 = (text: string) => Promise.resolve(sha256Hex(text)) } = options
  const imdsLimiter = options.imdsLimiter ?? createConcurrencyLimiter()
  return {
    ...(uuid !== false && { uuid }),
    ...(sha256 !== false && { sha256 }),
    ...(imdsLimiter !== false && { imdsLimiter }),
  }
}

/** `readFile` over `options.files`, noting each path read (absent when `readFile: false`). */
const recordingReadFile = (
  record: Recording,
  options: FakeCapabilitiesOptions,
): Pick<Capabilities, 'readFile'> =>
  options.readFile === false
    ? {}
    : {
        readFile: (path: string, maxBytes: number) => {
          record.reads.push(path)
          return Promise.resolve(readFrom(options.files, path, maxBytes))
        },
      }

/**
 * A fake world: capabilities over a scripted endpoint, in-memory files and a virtual clock,
 * recording every request, read, sleep and event.
 *
 * @example
 * ```ts
 * import { createManagedIdentityClient } from '@azmi/core'
 * import { fakeCapabilities, jsonResponse, tokenResponse } from '@azmi/testing'
 *
 * const world = fakeCapabilities({ endpoint: [jsonResponse(503, {}), tokenResponse('t')] })
 * const client = createManagedIdentityClient({ env: {} }, world.capabilities)
 * await client.getToken('https://vault.azure.net/.default') // Right: IMDS retried once
 * world.sent.length // 2; world.sleeps: the one retry wait, taken on the virtual clock
 * ```
 */
export const fakeCapabilities = (options: FakeCapabilitiesOptions = {}): FakeWorld => {
  const record: Recording = {
    sent: [],
    reads: [],
    sleeps: [],
    events: [],
    now: options.startAt ?? DEFAULT_START,
  }
  const capabilities: Capabilities = {
    send: recordingSend(record, options),
    ...recordingReadFile(record, options),
    now: () => record.now,
    sleep: virtualSleep(record, options),
    // On a virtual clock a watchdog would fire at once: this world's never does.
    timer: () => new Promise<void>(() => undefined),
    random: options.random ?? (() => 0.5),
    platform: options.platform ?? { os: 'linux' },
    ...optionalCapabilities(options),
    log: (event) => {
      record.events.push(event)
      options.log?.(event)
    },
  }
  return worldOver(record, capabilities)
}

/** The world a test sees: the capabilities, what they recorded, and the clock's hands. */
const worldOver = (record: Recording, capabilities: Capabilities): FakeWorld => {
  const { sent, reads, sleeps, events } = record
  return {
    capabilities,
    sent,
    reads,
    sleeps,
    events,
    get now() {
      return record.now
    },
    set now(value: number) {
      record.now = value
    },
    advance: (ms) => {
      record.now += ms
    },
  }
}
