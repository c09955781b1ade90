/**
 * The core tests' fake world: a small adapter over `@azmi/testing`'s `fakeCapabilities` (a
 * scripted endpoint, in-memory files, a virtual clock that moves only when the core sleeps),
 * keeping the names and options these tests were written against.
 *
 * Imported by path rather than as `@azmi/testing` because core's package.json does not list
 * the kit (the kit depends on core); vitest and tsc both resolve the path to the kit's sources.
 */

import {
  controllableSignal,
  type FakeWorld,
  fakeCapabilities,
  jsonResponse,
  type ScriptedReply,
  tokenResponse,
} from '../../testing/src/index.js'
import type { ConcurrencyLimiter, FileFailure, HttpRequest, Platform } from '../src/index.js'

export type { FakeWorld }

/** What the fake endpoint does with one request: a reply, or a transport failure. */
export type Reply = ScriptedReply

/** A reply with a JSON body and content type. */
export const json = jsonResponse

/** A `200` token reply with `expires_in`. */
export const tokenReply = tokenResponse

/** The options these tests use, mapped onto the kit's. */
export interface FakeOptions {
  /** Answer each request; called in order. Default: a token reply. */
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
  /** The optional capabilities: the kit's fakes unless replaced, or `false` for none. */
  readonly uuid?: (() => string) | false
  readonly sha256?: ((text: string) => Promise<string>) | false
  readonly imdsLimiter?: ConcurrencyLimiter | false
}

/** A fake world over `options`. */
export const fakeWorld = (options: FakeOptions = {}): FakeWorld =>
  fakeCapabilities({
    ...(options.respond !== undefined && { endpoint: options.respond }),
    ...(options.files !== undefined && { files: options.files }),
    ...(options.platform !== undefined && { platform: options.platform }),
    ...(options.startAt !== undefined && { startAt: options.startAt }),
    ...(options.random !== undefined && { random: options.random }),
    ...(options.latencyMs !== undefined && { latencyMs: options.latencyMs }),
    ...(options.sleepForever === true && { sleep: 'until-aborted' }),
    ...(options.withoutReadFile === true && { readFile: false }),
    ...(options.uuid !== undefined && { uuid: options.uuid }),
    ...(options.sha256 !== undefined && { sha256: options.sha256 }),
    ...(options.imdsLimiter !== undefined && { imdsLimiter: options.imdsLimiter }),
  })

/** A controllable signal (the core's own type, so no DOM needed). */
export const testSignal = () => {
  const { signal, abort } = controllableSignal()
  return { signal, abort: () => abort() }
}
