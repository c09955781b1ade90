/**
 * fast-check arbitraries for what an endpoint does over several requests (docs/protocol.md
 * §2.8): error statuses with and without `Retry-After` (seconds or an HTTP date), transport
 * failures of every kind, token replies, hostile replies, and sequences of them — the input a
 * property over retries, throttling and the request bound needs.
 *
 * @since 0.1.0
 */
import {
  type HttpResponse,
  SOURCE_NAMES,
  type SourceName,
  type TransportFailure,
  type TransportFailureKind,
  transportFailure,
} from '@azmi/core'
import * as fc from 'fast-check'
import type { Either } from 'fp-ts/lib/Either.js'
import { left, right } from 'fp-ts/lib/Either.js'
import { DEFAULT_START, hostileReply, wellFormedReply } from './replyBodies.js'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/** One thing a fake endpoint does with a request: answer it, or fail the way a transport fails. */
export type ScriptedReply = HttpResponse | TransportFailure

/** Whether a scripted reply is a transport failure rather than an answer. */
export const isTransportFailure = (reply: ScriptedReply): reply is TransportFailure =>
  '_tag' in reply && reply._tag === 'TransportFailure'

/** A scripted reply as the `Either` a `send` capability resolves with (and `walkPlan`'s `Script` takes). */
export const toOutcome = (reply: ScriptedReply): Either<TransportFailure, HttpResponse> =>
  isTransportFailure(reply) ? left(reply) : right(reply)

// -------------------------------------------------------------------------------------
// transport failures
// -------------------------------------------------------------------------------------

/** Every `TransportFailureKind`; the `satisfies` makes a new kind in the core a compile error here. */
const KINDS = {
  connect: true,
  reset: true,
  timeout: true,
  aborted: true,
  tls: true,
  'certificate-mismatch': true,
  'pinning-unsupported': true,
  'custom-tls-unsupported': true,
  proxy: true,
  'response-too-large': true,
  other: true,
} as const satisfies Record<TransportFailureKind, true>

/** Every transport failure kind the core knows. */
export const TRANSPORT_FAILURE_KINDS = Object.keys(KINDS) as ReadonlyArray<TransportFailureKind>

/** The kinds the core may retry (docs/protocol.md §2.8): nothing answered, a reset, a timeout. */
export const TRANSIENT_FAILURE_KINDS: ReadonlyArray<TransportFailureKind> = ['connect', 'reset', 'timeout']

/** A transport failure of any kind, with a detail naming it. */
export const transportFailureReply: fc.Arbitrary<TransportFailure> = fc
  .constantFrom(...TRANSPORT_FAILURE_KINDS)
  .map((kind) => transportFailure(kind, `fake transport failure: ${kind}`))

// -------------------------------------------------------------------------------------
// error statuses
// -------------------------------------------------------------------------------------

/** Options of the reply and sequence arbitraries. */
export interface ReplyOptions {
  /** The clock when the replies are sent (epoch ms): HTTP dates and expiries are relative to it. */
  readonly now?: number
  /** Token replies in this source's shape. Default: any source's. */
  readonly source?: SourceName
  /** Add, to some 401s, Azure Arc's challenge naming this key file. */
  readonly arcChallengeRealm?: string
}

/**
 * A `Retry-After` value: delay-seconds (`0` included, which never means "retry now"), an HTTP
 * date before or after `now`, or junk that must be ignored.
 */
export const retryAfterValue = (now: number = DEFAULT_START): fc.Arbitrary<string> =>
  fc.oneof(
    fc.constantFrom('0', '1', '5', '120'),
    fc.integer({ min: 0, max: 100_000 }).map(String),
    fc.integer({ min: -60, max: 600 }).map((seconds) => new Date(now + seconds * 1000).toUTCString()),
    fc.constantFrom('', 'soon', '-1', '1.5', 'Wed, 99 Foo 2024 99:99:99 GMT'),
    fc.string(),
  )

const errorStatus = fc.oneof(
  fc.constantFrom(400, 401, 403, 404, 408, 410, 429, 500, 502, 503, 504),
  fc.integer({ min: 100, max: 599 }),
)

/** Error bodies in the shapes the sources use: Entra's, Service Fabric's, App Service's, or none. */
const errorBody = fc.oneof(
  fc.constant(''),
  fc.constant('{"error":"invalid_request","error_description":"Identity not found"}'),
  fc.constant(
    '{"error":{"code":"SecretHeaderNotFound","message":"Secret is not found in the request headers.","correlationId":"7f3a"}}',
  ),
  fc.constant('{"statusCode":500,"message":"An unexpected error occured while fetching the AAD Token."}'),
  fc.string(),
)

/** A non-2xx reply: any status, a source's error body, and sometimes `Retry-After`. */
export const errorReply = (options: ReplyOptions = {}): fc.Arbitrary<HttpResponse> =>
  fc
    .record({
      status: errorStatus,
      body: errorBody,
      retryAfter: fc.option(retryAfterValue(options.now), { nil: undefined }),
      challenge: fc.boolean(),
    })
    .map(({ status, body, retryAfter, challenge }) => ({
      status,
      headers: {
        'content-type': 'application/json',
        ...(retryAfter !== undefined && { 'retry-after': retryAfter }),
        ...(challenge &&
          options.arcChallengeRealm !== undefined && {
            'www-authenticate': `Basic realm=${options.arcChallengeRealm}`,
          }),
      },
      body,
    }))

// -------------------------------------------------------------------------------------
// replies and sequences
// -------------------------------------------------------------------------------------

const sourceToken = (options: ReplyOptions): fc.Arbitrary<HttpResponse> => {
  const now = options.now ?? DEFAULT_START
  if (options.source !== undefined) return wellFormedReply(options.source, { now })
  return fc.constantFrom(...SOURCE_NAMES).chain((source) => wellFormedReply(source, { now }))
}

/** Anything an endpoint may do with one request: a token, an error status, a hostile reply or a transport failure. */
export const endpointReply = (options: ReplyOptions = {}): fc.Arbitrary<ScriptedReply> =>
  fc.oneof(
    { weight: 3, arbitrary: sourceToken(options) },
    { weight: 4, arbitrary: errorReply(options) },
    { weight: 1, arbitrary: hostileReply },
    { weight: 2, arbitrary: transportFailureReply },
  )

/** Options of {@link replySequence}. */
export interface SequenceOptions extends ReplyOptions {
  /** The longest sequence. Default 14: more than the core's 12-request bound. */
  readonly maxLength?: number
  /** End every sequence with a token reply (the endpoint recovers). Default: only some do. */
  readonly recovers?: boolean
}

/**
 * What an endpoint does to successive requests: failures (statuses with `Retry-After`,
 * transient and final transport failures) and, in some or all sequences, a token at the end.
 * Feed it to `fakeCapabilities({ endpoint })` or, through {@link toOutcome}, to `walkPlan`.
 */
export const replySequence = (options: SequenceOptions = {}): fc.Arbitrary<ReadonlyArray<ScriptedReply>> => {
  const failures = fc.array(fc.oneof(errorReply(options), transportFailureReply), {
    maxLength: Math.max(0, (options.maxLength ?? 14) - 1),
  })
  const ending =
    options.recovers === true
      ? sourceToken(options).map((reply): ReadonlyArray<ScriptedReply> => [reply])
      : fc
          .option(sourceToken(options), { nil: undefined })
          .map((reply) => (reply === undefined ? [] : [reply]))
  return fc.tuple(failures, ending).map(([head, tail]) => [...head, ...tail])
}
