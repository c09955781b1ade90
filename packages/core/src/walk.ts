/**
 * Walking a plan with no effects at all: replies, files and time come from a script, and the
 * walk returns every step the plan asked for. It follows the interpreter's rules — the
 * deadline trims each send's timeout and cancels a wait that would pass it, requests are
 * numbered — so a test can assert on a plan as data, and check that both agree.
 *
 * @since 0.2.0
 */
import * as E from 'fp-ts/lib/Either.js'
import { type FileFailure, fileFailure, type LogEvent } from './capabilities.js'
import { type ManagedIdentityError, timeout } from './errors.js'
import { type HttpRequest, type HttpResponse, type TransportFailure, transportFailure } from './http.js'
import { failed, type Plan, type Send, type Step, type Wait } from './plan.js'
import { REQUEST_BOUND, requestBoundReached } from './retry.js'
import { REQUEST_ID_HEADER } from './sendStep.js'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/** What the world answers, in order. */
export interface Script {
  /** One per `Send`, in order. When they run out, every further send fails with `connect`. */
  readonly replies: ReadonlyArray<E.Either<TransportFailure, HttpResponse>>
  /** File contents (or failures) by path; a path not listed is `not-found`. */
  readonly files?: Readonly<Record<string, string | FileFailure>>
  /** Time allowed for the walk, as `RunContext.deadlineMs`. Default 120 s. */
  readonly deadlineMs?: number
  /** Milliseconds each send takes. Default 0. */
  readonly latencyMs?: number
  /** The jitter draw in [0, 1) for every wait. Default 0.5. */
  readonly random?: number
  /** The clock at the start. Default 0. */
  readonly startAt?: number
  /** The request ids to give, in order. Default `request-1`, `request-2`, … */
  readonly uuid?: () => string
  /** The digest a `Digest` step gets. Default: none (as a runtime that cannot hash). */
  readonly sha256?: (text: string) => string | undefined
}

/** One step the plan asked for, with the walk's clock when it did. */
export type WalkedStep =
  | {
      /** A request was sent. */
      readonly _tag: 'Send'
      /** The walk's clock at the step. */
      readonly at: number
      /** The request, with its timeout as trimmed to the deadline. */
      readonly request: HttpRequest
    }
  | {
      /** A file was read. */
      readonly _tag: 'ReadFile'
      /** The walk's clock at the step. */
      readonly at: number
      /** The file. */
      readonly path: string
      /** The cap it was read under. */
      readonly maxBytes: number
    }
  | {
      /** A wait (`Wait`), or a wait the deadline would have cut short, so not started (`SkippedWait`). */
      readonly _tag: 'Wait' | 'SkippedWait'
      /** The walk's clock at the step. */
      readonly at: number
      /** The drawn delay. */
      readonly ms: number
    }
  | {
      /** The plan noted an event. */
      readonly _tag: 'Note'
      /** The walk's clock at the step. */
      readonly at: number
      /** The event. */
      readonly event: LogEvent
    }
  | {
      /** A digest was asked for (the text is a secret and is not kept). */
      readonly _tag: 'Digest'
      /** The walk's clock at the step. */
      readonly at: number
    }

/** The steps, the ending, and the time the walk took. */
export interface Walk<A> {
  /** Every step, in order. */
  readonly steps: ReadonlyArray<WalkedStep>
  /** The plan's ending. */
  readonly result: E.Either<ManagedIdentityError, A>
  /** The time the walk's clock moved. */
  readonly elapsedMs: number
}

// -------------------------------------------------------------------------------------
// walking
// -------------------------------------------------------------------------------------

const outOfTime = (): ManagedIdentityError =>
  timeout({
    message:
      'The token request ran out of time (the overall deadline passed). Raise the timeout or check the endpoint.',
  })

const fileIn = (script: Script, path: string, maxBytes: number): E.Either<FileFailure, string> => {
  const file = script.files?.[path]
  if (file === undefined) return E.left(fileFailure('not-found', `${path} does not exist`))
  if (typeof file !== 'string') return E.left(file)
  return file.length > maxBytes ? E.left(fileFailure('too-large', 'the file is too large')) : E.right(file)
}

/** The walk so far: its clock, the requests sent and the steps taken. */
interface Position {
  readonly script: Script
  readonly deadline: number
  readonly steps: Array<WalkedStep>
  now: number
  sent: number
  lastRequestId: string | undefined
}

const walkSend = <A>(position: Position, step: Send<A>): Plan<A> => {
  const { script, deadline } = position
  if (deadline - position.now <= 0) return failed(outOfTime())
  if (position.sent >= REQUEST_BOUND) return failed(requestBoundReached())
  const timeoutMs = Math.min(step.request.timeoutMs, deadline - position.now)
  const requestId = script.uuid?.() ?? `request-${position.sent + 1}`
  position.lastRequestId = requestId
  const headers = { ...step.request.headers, [REQUEST_ID_HEADER]: requestId }
  position.steps.push({ _tag: 'Send', at: position.now, request: { ...step.request, headers, timeoutMs } })
  const reply =
    script.replies[position.sent] ?? E.left(transportFailure('connect', 'the script has no more replies'))
  position.sent += 1
  const sentAt = position.now
  position.now += Math.min(script.latencyMs ?? 0, timeoutMs)
  const receivedAt = position.now
  return step.next({ result: reply, sentAt, receivedAt, timeoutMs, requestNumber: position.sent, requestId })
}

const walkWait = <A>(position: Position, step: Wait<A>): Plan<A> => {
  const ms = step.minMs + (position.script.random ?? 0.5) * (step.maxMs - step.minMs)
  const skipped = position.now + ms > position.deadline
  position.steps.push({ _tag: skipped ? 'SkippedWait' : 'Wait', at: position.now, ms })
  if (skipped) return step.onDeadline()
  position.now += ms
  return step.next()
}

const walkStep = <A>(position: Position, step: Step<A>): Plan<A> => {
  switch (step._tag) {
    case 'Send':
      return walkSend(position, step)
    case 'ReadFile':
      position.steps.push({ _tag: 'ReadFile', at: position.now, path: step.path, maxBytes: step.maxBytes })
      return step.next(fileIn(position.script, step.path, step.maxBytes))
    case 'Wait':
      return walkWait(position, step)
    case 'Digest':
      position.steps.push({ _tag: 'Digest', at: position.now })
      return step.next(position.script.sha256?.(step.text))
    case 'Note':
      position.steps.push({ _tag: 'Note', at: position.now, event: step.event })
      return step.next()
  }
}

/** Walk `plan` against `script`, synchronously, to its end. */
export const walkPlan = <A>(plan: Plan<A>, script: Script): Walk<A> => {
  const start = script.startAt ?? 0
  const position: Position = {
    lastRequestId: undefined,
    script,
    deadline: start + (script.deadlineMs ?? 120_000),
    steps: [],
    now: start,
    sent: 0,
  }
  let step = plan
  while (step._tag !== 'Done' && step._tag !== 'Failed') step = walkStep(position, step)
  // as the interpreter does, an error after a request names it
  const named = step._tag === 'Failed' ? (step.error.requestId ?? position.lastRequestId) : undefined
  const error =
    step._tag === 'Failed' && named !== undefined ? { ...step.error, requestId: named } : undefined
  const result = step._tag === 'Done' ? E.right(step.value) : E.left(error ?? step.error)
  return { steps: position.steps, result, elapsedMs: position.now - start }
}
