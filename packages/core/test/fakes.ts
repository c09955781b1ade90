/**
 * Injected capabilities for driving the core with no I/O: a scripted endpoint, a fake clock
 * that advances when the core sleeps, and an in-memory file system.
 */
import * as E from 'fp-ts/lib/Either.js'
import {
  type AbortSignalLike,
  type Capabilities,
  type FileFailure,
  fileFailure,
  type HttpRequest,
  type HttpResponse,
  type LogEvent,
  type Platform,
  type TransportFailure,
  transportFailure,
} from '../src/index.js'

export type Reply = HttpResponse | TransportFailure

export const json = (status: number, body: unknown, headers: Record<string, string> = {}): HttpResponse => ({
  status,
  headers: { 'content-type': 'application/json', ...headers },
  body: typeof body === 'string' ? body : JSON.stringify(body),
})

export const tokenReply = (token = 'token-value', expiresInSeconds = 3600): HttpResponse =>
  json(200, { access_token: token, expires_in: expiresInSeconds, token_type: 'Bearer' })

export interface FakeWorld {
  readonly capabilities: Capabilities
  readonly sent: Array<HttpRequest>
  readonly reads: Array<string>
  readonly sleeps: Array<number>
  readonly events: Array<LogEvent>
  /** Current fake time (ms). */
  now: number
}

export interface FakeOptions {
  /** Answer each request; called in order. */
  readonly respond?: (request: HttpRequest, index: number) => Reply | Promise<Reply>
  readonly files?: Readonly<Record<string, string | FileFailure>>
  readonly platform?: Platform
  readonly startAt?: number
  readonly random?: () => number
  /** When set, `sleep` waits for the signal instead of advancing the clock. */
  readonly sleepForever?: boolean
  /** Milliseconds each send takes on the fake clock. */
  readonly latencyMs?: number
  readonly withoutReadFile?: boolean
}

const isFailure = (reply: Reply): reply is TransportFailure => '_tag' in reply

export const fakeWorld = (options: FakeOptions = {}): FakeWorld => {
  const world: FakeWorld = {
    sent: [],
    reads: [],
    sleeps: [],
    events: [],
    now: options.startAt ?? 1_700_000_000_000,
    capabilities: undefined as unknown as Capabilities,
  }
  const respond = options.respond ?? (() => tokenReply())
  const send = async (request: HttpRequest, signal: AbortSignalLike | undefined) => {
    const index = world.sent.length
    world.sent.push(request)
    if (signal?.aborted === true) return E.left(transportFailure('aborted', 'aborted before sending'))
    const reply = await respond(request, index)
    world.now += options.latencyMs ?? 0
    return isFailure(reply) ? E.left(reply) : E.right(reply)
  }
  const readFile = async (path: string, maxBytes: number) => {
    world.reads.push(path)
    const file = options.files?.[path]
    if (file === undefined) return E.left(fileFailure('not-found', `${path} does not exist`))
    if (typeof file !== 'string') return E.left(file)
    return file.length > maxBytes ? E.left(fileFailure('too-large', 'too large')) : E.right(file)
  }
  const sleep = (ms: number, signal: AbortSignalLike | undefined) => {
    world.sleeps.push(ms)
    if (options.sleepForever !== true) {
      world.now += ms
      return Promise.resolve()
    }
    return new Promise<void>((resolve) => signal?.addEventListener('abort', () => resolve(), { once: true }))
  }
  const capabilities: Capabilities = {
    send,
    ...(options.withoutReadFile !== true && { readFile }),
    now: () => world.now,
    sleep,
    // The clock is virtual: a watchdog on it would fire at once, so this world's never fires.
    timer: () => new Promise<void>(() => undefined),
    random: options.random ?? (() => 0.5),
    platform: options.platform ?? { os: 'linux' },
    log: (event) => {
      world.events.push(event)
    },
  }
  ;(world as { capabilities: Capabilities }).capabilities = capabilities
  return world
}

/** A controllable signal for tests (the core's own type, so no DOM needed). */
export const testSignal = () => {
  const controller = new AbortController()
  return { signal: controller.signal as AbortSignalLike, abort: () => controller.abort() }
}
