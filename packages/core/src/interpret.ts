/**
 * Running a plan with real (or fake) capabilities.
 *
 * The interpreter is the only place where a plan meets effects. It applies the rules that
 * hold for every source: the caller's `AbortSignal` is checked between steps and passed to
 * every send and wait; an overall deadline shortens each attempt's timeout and each wait;
 * file contents become secrets to scrub; and each step is reported to the logger.
 *
 * @since 0.1.0
 */
import * as E from 'fp-ts/lib/Either.js'
import type { AbortSignalLike, Capabilities, FileFailure } from './capabilities.js'
import { fileFailure } from './capabilities.js'
import { aborted, type ManagedIdentityError, type SourceName, timeout } from './errors.js'
import { type HttpResponse, type TransportFailure, transportFailure } from './http.js'
import { failed, type Plan, type ReadFile, type Send, type SendOutcome, type Wait } from './plan.js'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

export interface FileCopy {
  readonly text: string
  readonly readAt: number
}

export interface RunContext {
  readonly capabilities: Capabilities
  readonly source: SourceName
  readonly signal: AbortSignalLike | undefined
  readonly deadline: number | undefined
  /** Files read with `reuseForMs > 0`, shared across runs of one credential. */
  readonly fileCache: Map<string, FileCopy>
  /** Collects every file's contents: they are secrets (Arc key, federated token). */
  readonly secrets: Array<string>
}

// -------------------------------------------------------------------------------------
// steps
// -------------------------------------------------------------------------------------

const log = (context: RunContext, event: Parameters<NonNullable<Capabilities['log']>>[0]) => {
  context.capabilities.log?.(event)
}

const deadlineError = (context: RunContext): ManagedIdentityError =>
  timeout({
    source: context.source,
    message:
      'The token request ran out of time (the overall deadline passed). Raise the timeout or check the endpoint.',
  })

const safeSend = async (
  context: RunContext,
  step: Send<unknown>,
  timeoutMs: number,
): Promise<E.Either<TransportFailure, HttpResponse>> => {
  try {
    return await context.capabilities.send({ ...step.request, timeoutMs }, context.signal)
  } catch (error) {
    return E.left(transportFailure('other', error instanceof Error ? error.message : 'the transport failed'))
  }
}

const runSend = async <A>(context: RunContext, step: Send<A>): Promise<Plan<A>> => {
  const { now } = context.capabilities
  const remaining = context.deadline === undefined ? Number.POSITIVE_INFINITY : context.deadline - now()
  if (remaining <= 0) return failed(deadlineError(context))
  const timeoutMs = Math.min(step.request.timeoutMs, remaining)
  log(context, {
    event: 'request-sent',
    source: context.source,
    method: step.request.method,
    url: step.request.url,
    // Names only: header values may be secrets.
    headers: Object.keys(step.request.headers).join(', '),
    timeoutMs,
  })
  const sentAt = now()
  const result = await safeSend(context, step, timeoutMs)
  const outcome: SendOutcome = { result, sentAt, receivedAt: now(), timeoutMs }
  log(context, {
    event: 'reply-received',
    source: context.source,
    ...(E.isRight(result) ? { status: result.right.status } : { failure: result.left.kind }),
    ms: outcome.receivedAt - sentAt,
  })
  return step.next(outcome)
}

const readOrReuse = async (
  context: RunContext,
  step: ReadFile<unknown>,
): Promise<E.Either<FileFailure, string>> => {
  const { readFile, now } = context.capabilities
  const cached = context.fileCache.get(step.path)
  if (cached !== undefined && step.reuseForMs > 0 && now() - cached.readAt < step.reuseForMs)
    return E.right(cached.text)
  if (readFile === undefined) return E.left(fileFailure('unsupported', 'no readFile capability was provided'))
  const readAt = now()
  const result = await readFile(step.path, step.maxBytes).catch((error: unknown) =>
    E.left(fileFailure('other', error instanceof Error ? error.message : 'the read failed')),
  )
  if (E.isRight(result) && step.reuseForMs > 0)
    context.fileCache.set(step.path, { text: result.right, readAt })
  return result
}

const runReadFile = async <A>(context: RunContext, step: ReadFile<A>): Promise<Plan<A>> => {
  const result = await readOrReuse(context, step)
  if (E.isRight(result)) context.secrets.push(result.right)
  return step.next(result)
}

const runWait = async <A>(context: RunContext, step: Wait<A>): Promise<Plan<A>> => {
  const { random, now, sleep } = context.capabilities
  const drawn = step.minMs + random() * (step.maxMs - step.minMs)
  const ms = context.deadline === undefined ? drawn : Math.max(0, Math.min(drawn, context.deadline - now()))
  log(context, { event: 'retry-scheduled', source: context.source, delayMs: Math.round(ms), ...step.reason })
  await sleep(ms, context.signal)
  return step.next()
}

// -------------------------------------------------------------------------------------
// interpreter
// -------------------------------------------------------------------------------------

/** Walk `plan` to its end. Never rejects: every failure is a `ManagedIdentityError`. */
export const runPlan = async <A>(
  plan: Plan<A>,
  context: RunContext,
): Promise<E.Either<ManagedIdentityError, A>> => {
  let step: Plan<A> = plan
  for (;;) {
    if (context.signal?.aborted === true) {
      return E.left(
        aborted({ source: context.source, message: 'The token request was aborted by the caller.' }),
      )
    }
    switch (step._tag) {
      case 'Done':
        return E.right(step.value)
      case 'Failed':
        return E.left(step.error)
      case 'Send':
        step = await runSend(context, step)
        break
      case 'ReadFile':
        step = await runReadFile(context, step)
        break
      case 'Wait':
        step = await runWait(context, step)
        break
    }
  }
}
