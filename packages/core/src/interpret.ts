/**
 * Running a plan with real (or fake) capabilities.
 *
 * The interpreter is the only place where a plan meets effects, and the only owner of the
 * call's deadline (docs/protocol.md §1.5): each send's timeout is cut to what is left of it,
 * a wait that would pass it is not started, and every send and file read is raced against
 * it, so nothing a capability does can hold a call past its deadline. The caller's
 * `AbortSignal` is checked between steps and passed to every send and wait. What a run read
 * (file contents are secrets), how many requests it sent and what it noted come back in its
 * report.
 *
 * @since 0.1.0
 */
import * as E from 'fp-ts/lib/Either.js'
import type { AbortSignalLike, Capabilities, LogEvent } from './capabilities.js'
import { aborted, type ManagedIdentityError } from './errors.js'
import type { HttpRequest } from './http.js'
import type { Digest, Plan, SendOutcome, Wait } from './plan.js'
import { runReadFile } from './readFileStep.js'
import { beforeTimeout, hintsOf, log, type Progress, type Progressed, type Running } from './running.js'
import { runSend } from './sendStep.js'
import type { SourceName } from './sourceList.js'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/** A file's text and when it was read, kept by the credential for `ReadFile.reuseForMs`. */
export interface FileCopy {
  /** The file's text. */
  readonly text: string
  /** When it was read. */
  readonly readAt: number
}

/** What one run of a plan works with. */
export interface RunContext {
  /** The effects to run the plan with. */
  readonly capabilities: Capabilities
  /** The source the plan is for (named in errors and events). */
  readonly source: SourceName
  /** The caller's signal: checked between steps and passed to every send and wait. */
  readonly signal: AbortSignalLike | undefined
  /** Time allowed for the whole run, from its start: probe, retries, waits and file reads. */
  readonly deadlineMs: number
  /**
   * The secrets the source sends (identity header, MSI secret). With the contents of every file
   * the run reads, they are scrubbed from each reply and failure before the plan sees it.
   */
  readonly secrets: ReadonlyArray<string>
  /** Copies of files read earlier by the same credential, by path; the run adds what it reads. */
  readonly files: Map<string, FileCopy>
  /** No caller waits on the run (a background refresh): capabilities must not keep the host alive. */
  readonly background?: boolean | undefined
  /** Sends wait for a slot of `capabilities.imdsLimiter` (docs/protocol.md §5.1). */
  readonly limited?: boolean | undefined
  /**
   * Why a request to this URL must not be sent now, if it must not (throttle memory,
   * docs/protocol.md §5.2): the run then fails with that error instead of sending.
   */
  readonly throttled?: ((url: string) => ManagedIdentityError | undefined) | undefined
  /** Told of each attempt as it starts; the function it returns is told how it ended (tracing). */
  readonly onAttempt?: ((attempt: AttemptStart) => ((outcome: SendOutcome) => void) | undefined) | undefined
}

/** An attempt about to be sent, for an observer. */
export interface AttemptStart {
  /** The request, as the transport will send it. */
  readonly request: HttpRequest
  /** Its `x-ms-client-request-id`. */
  readonly requestId: string
}

/** The last reply a run received, for throttle memory. */
export interface LastReply {
  /** The URL it answered, without the query. */
  readonly endpoint: string
  /** Its HTTP status. */
  readonly status: number
  /** The `Retry-After` it asked for, in milliseconds. */
  readonly retryAfterMs: number | undefined
  /** The `x-ms-client-request-id` of the request it answered. */
  readonly requestId: string
}

/** How a run ended, and what it learned on the way. */
export interface RunReport<A> {
  /** The plan's ending. */
  readonly result: E.Either<ManagedIdentityError, A>
  /** Requests sent. */
  readonly requests: number
  /** The contents of every file read: secrets (Arc key, federated token) to scrub from errors. */
  readonly secrets: ReadonlyArray<string>
  /** The events the plan noted, in order. */
  readonly notes: ReadonlyArray<LogEvent>
  /** The last reply received, if the last request got one. */
  readonly lastReply?: LastReply | undefined
  /** The `x-ms-client-request-id` of the last request sent, if any. */
  readonly lastRequestId?: string | undefined
}

/** Run one `Wait`, or skip it when it would end past the deadline. */
const runWait = async <A>(context: Running, step: Wait<A>, progress: Progress): Promise<Progressed<A>> => {
  const { random, now, sleep } = context.capabilities
  const ms = step.minMs + random() * (step.maxMs - step.minMs)
  if (now() + ms > context.deadline) return { plan: step.onDeadline(), progress }
  log(context, { event: 'retry-scheduled', source: context.source, delayMs: Math.round(ms), ...step.reason })
  await sleep(ms, context.signal, hintsOf(context))
  return { plan: step.next(), progress }
}

/** Run one `Digest`: the runtime's SHA-256, or `undefined` when it has none (or it fails or hangs). */
const runDigest = async <A>(
  context: Running,
  step: Digest<A>,
  progress: Progress,
): Promise<Progressed<A>> => {
  const { sha256 } = context.capabilities
  const hashed =
    sha256 === undefined
      ? undefined
      : await beforeTimeout(
          context,
          context.deadline - context.capabilities.now(),
          Promise.resolve()
            .then(() => sha256(step.text))
            .catch(() => undefined),
        )
  return { plan: step.next(hashed), progress }
}

// -------------------------------------------------------------------------------------
// interpreter
// -------------------------------------------------------------------------------------

const runStep = <A>(
  context: Running,
  plan: Exclude<Plan<A>, { _tag: 'Done' | 'Failed' }>,
  progress: Progress,
) => {
  switch (plan._tag) {
    case 'Send':
      return runSend(context, plan, progress)
    case 'ReadFile':
      return runReadFile(context, plan, progress)
    case 'Wait':
      return runWait(context, plan, progress)
    case 'Digest':
      return runDigest(context, plan, progress)
    case 'Note':
      log(context, plan.event)
      return Promise.resolve({
        plan: plan.next(),
        progress: { ...progress, notes: [...progress.notes, plan.event] },
      })
  }
}

/** Walk `plan` to its end. Never rejects: every failure is a `ManagedIdentityError` in the report. */
export const runPlan = async <A>(plan: Plan<A>, runContext: RunContext): Promise<RunReport<A>> => {
  const context: Running = { ...runContext, deadline: runContext.capabilities.now() + runContext.deadlineMs }
  let step: Progressed<A> = { plan, progress: { requests: 0, secrets: [], notes: [] } }
  for (;;) {
    const { plan: current, progress } = step
    if (context.signal?.aborted === true) {
      const error = aborted({
        source: context.source,
        message: 'The token request was aborted by the caller.',
      })
      return { ...progress, result: E.left(error) }
    }
    if (current._tag === 'Done') return { ...progress, result: E.right(current.value) }
    if (current._tag === 'Failed') {
      // An error after a request names it, so the caller can quote it (docs/protocol.md §1.5).
      const { lastRequestId } = progress
      const named = current.error.requestId ?? lastRequestId
      const error = named === undefined ? current.error : { ...current.error, requestId: named }
      return { ...progress, result: E.left(error) }
    }
    step = await runStep(context, current, progress)
  }
}
