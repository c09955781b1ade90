/**
 * A token request as a program of plain steps.
 *
 * Every source, single request or multi-step flow (IMDS probe and retries, Arc's challenge,
 * workload identity's token file), is a `Plan`: a tree of `Send`, `ReadFile` and `Wait`
 * steps, each carrying plain data and a pure continuation, ending in `Done` or `Failed`.
 * `interpret.ts` walks it with the injected capabilities; tests walk it with fakes.
 *
 * @since 0.1.0
 */
import type { Either } from 'fp-ts/lib/Either.js'
import type { FileFailure } from './capabilities.js'
import type { ManagedIdentityError } from './errors.js'
import type { HttpRequest, HttpResponse, TransportFailure } from './http.js'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/** What came back from one `Send`, with the clock readings around it. */
export interface SendOutcome {
  readonly result: Either<TransportFailure, HttpResponse>
  readonly sentAt: number
  readonly receivedAt: number
  /** The timeout the attempt ran with: the request's own, or less when the overall deadline was nearer. */
  readonly timeoutMs?: number
}

export interface Send<A> {
  readonly _tag: 'Send'
  readonly request: HttpRequest
  readonly next: (outcome: SendOutcome) => Plan<A>
}

export interface ReadFile<A> {
  readonly _tag: 'ReadFile'
  readonly path: string
  readonly maxBytes: number
  /** A copy read less than this long ago may be reused (0: always read afresh). */
  readonly reuseForMs: number
  readonly next: (result: Either<FileFailure, string>) => Plan<A>
}

/** Why a plan waits, for the logger. */
export interface WaitReason {
  readonly attempt: number
  readonly status?: number
  readonly failure?: string
}

/** Wait a uniformly drawn time in `[minMs, maxMs]`: jitter is data, the draw is the interpreter's. */
export interface Wait<A> {
  readonly _tag: 'Wait'
  readonly minMs: number
  readonly maxMs: number
  readonly reason: WaitReason
  readonly next: () => Plan<A>
}

export interface Done<A> {
  readonly _tag: 'Done'
  readonly value: A
}

export interface Failed {
  readonly _tag: 'Failed'
  readonly error: ManagedIdentityError
}

export type Plan<A> = Send<A> | ReadFile<A> | Wait<A> | Done<A> | Failed

// -------------------------------------------------------------------------------------
// constructors
// -------------------------------------------------------------------------------------

export const send = <A>(request: HttpRequest, next: (outcome: SendOutcome) => Plan<A>): Plan<A> => ({
  _tag: 'Send',
  request,
  next,
})

export const readFile = <A>(
  file: { readonly path: string; readonly maxBytes: number; readonly reuseForMs: number },
  next: (result: Either<FileFailure, string>) => Plan<A>,
): Plan<A> => ({ _tag: 'ReadFile', ...file, next })

export const wait = <A>(minMs: number, maxMs: number, reason: WaitReason, next: () => Plan<A>): Plan<A> => ({
  _tag: 'Wait',
  minMs,
  maxMs,
  reason,
  next,
})

export const done = <A>(value: A): Plan<A> => ({ _tag: 'Done', value })

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
    switch (plan._tag) {
      case 'Done':
        return f(plan.value)
      case 'Failed':
        return plan
      case 'Send':
        return send(plan.request, (outcome) => flatMap(f)(plan.next(outcome)))
      case 'ReadFile':
        return readFile(plan, (result) => flatMap(f)(plan.next(result)))
      case 'Wait':
        return wait(plan.minMs, plan.maxMs, plan.reason, () => flatMap(f)(plan.next()))
    }
  }

export const map =
  <A, B>(f: (a: A) => B) =>
  (plan: Plan<A>): Plan<B> =>
    flatMap((a: A) => done(f(a)))(plan)
