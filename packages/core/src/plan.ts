/**
 * A token request as a program of plain steps.
 *
 * Every source, single request or multi-step flow (IMDS probe and retries, Arc's challenge,
 * workload identity's token file), is a `Plan`: a tree of `Send`, `ReadFile`, `Wait` and
 * `Note` steps, each carrying plain data and a pure continuation, ending in `Done` or
 * `Failed`. `interpret.ts` walks it with the injected capabilities; `walk.ts` walks it
 * against a script, with no effects at all.
 *
 * @since 0.1.0
 */
import type { Either } from 'fp-ts/lib/Either.js'
import type { FileFailure, LogEvent } from './capabilities.js'
import type { ManagedIdentityError } from './errors.js'
import type { HttpRequest, HttpResponse, TransportFailure } from './http.js'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/** What came back from one `Send`, with the interpreter's readings around it. */
export interface SendOutcome {
  /** The reply, or why there was none (secrets already masked). */
  readonly result: Either<TransportFailure, HttpResponse>
  /** The clock when the request was sent. */
  readonly sentAt: number
  /** The clock when the reply (or failure) arrived. */
  readonly receivedAt: number
  /** The timeout the attempt ran with: the request's own, or less when the deadline was nearer. */
  readonly timeoutMs: number
  /** How many requests this run has sent, this one included (the request bound counts these). */
  readonly requestNumber: number
  /** The `x-ms-client-request-id` the interpreter gave the request. */
  readonly requestId: string
}

/** Send one request and continue with what came back. */
export interface Send<A> {
  /** The step's case. */
  readonly _tag: 'Send'
  /** What to send. */
  readonly request: HttpRequest
  /** What to do with what came back. */
  readonly next: (outcome: SendOutcome) => Plan<A>
}

/**
 * When a copy the credential read earlier may stand in for a fresh read: `Never`; `Within` so
 * many milliseconds of the earlier read (the federated token, rotated by the kubelet); or
 * `IfEmpty`, read afresh but keep the last non-empty copy when the file is empty (a CA file
 * caught mid-rotation, docs/protocol.md §2.7).
 */
export type FileReuse =
  | {
      /** The case: always read afresh. */
      readonly _tag: 'Never'
    }
  | {
      /** The case: an earlier copy stands for a while. */
      readonly _tag: 'Within'
      /** How long after its read a copy stands in, in milliseconds. */
      readonly ms: number
    }
  | {
      /** The case: read afresh, keep the last non-empty copy over an empty file. */
      readonly _tag: 'IfEmpty'
    }

/** Read a small file (the Arc key, the federated token, a CA) and continue with its text or why not. */
export interface ReadFile<A> {
  /** The step's case. */
  readonly _tag: 'ReadFile'
  /** The file to read. */
  readonly path: string
  /** Files larger than this are refused before a byte is read. */
  readonly maxBytes: number
  /** Whether an earlier copy may be used instead. */
  readonly reuse: FileReuse
  /** The contents are a secret (a key, a token): scrubbed from everything the run reports. */
  readonly secret: boolean
  /** What to do with the text, or with why there is none. */
  readonly next: (result: Either<FileFailure, string>) => Plan<A>
}

/** Why a plan waits, for the logger. */
export interface WaitReason {
  /** The retry this wait comes before, from 1. */
  readonly attempt: number
  /** The status that is being retried. */
  readonly status?: number
  /** The transport failure kind that is being retried. */
  readonly failure?: string
}

/**
 * Wait a uniformly drawn time in `[minMs, maxMs]` (jitter is data, the draw is the
 * interpreter's), then continue with `next`. A wait that would end past the deadline is not
 * started: the interpreter continues with `onDeadline` instead.
 */
export interface Wait<A> {
  /** The step's case. */
  readonly _tag: 'Wait'
  /** The shortest wait. */
  readonly minMs: number
  /** The longest wait. */
  readonly maxMs: number
  /** Why, for the logger. */
  readonly reason: WaitReason
  /** What to do after the wait. */
  readonly next: () => Plan<A>
  /** What to do instead when the wait would end past the deadline. */
  readonly onDeadline: () => Plan<A>
}

/**
 * Hash `text` (SHA-256, lowercase hex) and continue with the digest, or with `undefined` when
 * the runtime cannot hash (Service Fabric's revocation parameter, docs/protocol.md §2.3).
 */
export interface Digest<A> {
  /** The step's case. */
  readonly _tag: 'Digest'
  /** What to hash, as UTF-8. A secret (a token): never logged. */
  readonly text: string
  /** What to do with the digest. */
  readonly next: (hex: string | undefined) => Plan<A>
}

/** Report something the plan learned (the IMDS probe passed, say): logged, and kept in the run's report. */
export interface Note<A> {
  /** The step's case. */
  readonly _tag: 'Note'
  /** What the plan learned. */
  readonly event: LogEvent
  /** What to do next. */
  readonly next: () => Plan<A>
}

/** The plan ended with a value. */
export interface Done<A> {
  /** The plan's ending. */
  readonly _tag: 'Done'
  /** The value. */
  readonly value: A
}

/** The plan ended with an error. */
export interface Failed {
  /** The plan's ending. */
  readonly _tag: 'Failed'
  /** The error. */
  readonly error: ManagedIdentityError
}

/** A program of steps ending in an `A` or a typed error. */
export type Plan<A> = Send<A> | ReadFile<A> | Wait<A> | Digest<A> | Note<A> | Done<A> | Failed

/** A step that asks the interpreter for something (every case but the two endings). */
export type Step<A> = Send<A> | ReadFile<A> | Wait<A> | Digest<A> | Note<A>

// -------------------------------------------------------------------------------------
// constructors
// -------------------------------------------------------------------------------------

/** A `Send` step. */
export const send = <A>(request: HttpRequest, next: (outcome: SendOutcome) => Plan<A>): Plan<A> => ({
  _tag: 'Send',
  request,
  next,
})

/** A `ReadFile` step. */
export const readFile = <A>(
  file: Pick<ReadFile<A>, 'path' | 'maxBytes' | 'reuse' | 'secret'>,
  next: (result: Either<FileFailure, string>) => Plan<A>,
): Plan<A> => {
  const { path, maxBytes, reuse, secret } = file
  return { _tag: 'ReadFile', path, maxBytes, reuse, secret, next }
}

/** A `Wait` step. */
export const wait = <A>(
  delay: { readonly minMs: number; readonly maxMs: number; readonly reason: WaitReason },
  next: () => Plan<A>,
  onDeadline: () => Plan<A>,
): Plan<A> => ({
  _tag: 'Wait',
  minMs: delay.minMs,
  maxMs: delay.maxMs,
  reason: delay.reason,
  next,
  onDeadline,
})

/** A `Digest` step. */
export const digest = <A>(text: string, next: (hex: string | undefined) => Plan<A>): Plan<A> => ({
  _tag: 'Digest',
  text,
  next,
})

/** A `Note` step. */
export const note = <A>(event: LogEvent, next: () => Plan<A>): Plan<A> => ({ _tag: 'Note', event, next })

/** A plan that ends at once with `value`. */
export const done = <A>(value: A): Plan<A> => ({ _tag: 'Done', value })

/** A plan that ends at once with `error`. */
export const failed = <A = never>(error: ManagedIdentityError): Plan<A> => ({ _tag: 'Failed', error })

/** Lift an `Either` into a plan that ends at once. */
export const fromEither = <A>(either: Either<ManagedIdentityError, A>): Plan<A> =>
  either._tag === 'Right' ? done(either.right) : failed(either.left)

// -------------------------------------------------------------------------------------
// combinators
// -------------------------------------------------------------------------------------

/** Continue with `f` once `plan` is done; failures pass through. */
export const flatMap =
  <A, B>(f: (a: A) => Plan<B>) =>
  (plan: Plan<A>): Plan<B> => {
    const then = flatMap(f)
    switch (plan._tag) {
      case 'Done':
        return f(plan.value)
      case 'Failed':
        return plan
      case 'Send':
        return send(plan.request, (outcome) => then(plan.next(outcome)))
      case 'ReadFile':
        return readFile(plan, (result) => then(plan.next(result)))
      case 'Wait':
        return wait(
          plan,
          () => then(plan.next()),
          () => then(plan.onDeadline()),
        )
      case 'Digest':
        return digest(plan.text, (hex) => then(plan.next(hex)))
      case 'Note':
        return note(plan.event, () => then(plan.next()))
    }
  }

/** Transform the value a plan ends with. */
export const map =
  <A, B>(f: (a: A) => B) =>
  (plan: Plan<A>): Plan<B> =>
    flatMap((a: A) => done(f(a)))(plan)
