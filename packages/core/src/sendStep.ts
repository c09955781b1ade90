/**
 * Running a `Send` step (docs/protocol.md §1.5): unless throttle memory holds the endpoint back
 * (§5.2), wait for a slot of the IMDS limiter when the source uses it (§5.1), give the request
 * a fresh `x-ms-client-request-id`, send it once with its timeout cut to what is left of the
 * deadline and watched by the watchdog, and scrub the reply or failure of every secret the run
 * knows before the plan sees it.
 *
 * @since 0.2.0
 */
import * as E from 'fp-ts/lib/Either.js'
import { createCancellation } from './cancellation.js'
import { aborted, type ManagedIdentityError } from './errors.js'
import { callHook } from './hooks.js'
import {
  type HttpRequest,
  type HttpResponse,
  headerValue,
  type TransportFailure,
  transportFailure,
} from './http.js'
import type { LastReply } from './interpret.js'
import type { Release } from './limiter.js'
import { failed, type Send, type SendOutcome } from './plan.js'
import { maskSpellings, spellingsOfAll } from './redact.js'
import { parseRetryAfter, REQUEST_BOUND, requestBoundReached } from './retry.js'
import {
  beforeTimeout,
  hintsOf,
  log,
  outOfTime,
  type Progress,
  type Progressed,
  type Running,
} from './running.js'

type Result = E.Either<TransportFailure, HttpResponse>

/** The header every request carries, so a failure can be traced on Azure's side. */
export const REQUEST_ID_HEADER = 'x-ms-client-request-id'

/**
 * A version 4 UUID drawn from `random`: what the core sends as a request id when the runtime
 * gives it no `uuid`. A shell may pass `() => uuidFromRandom(Math.random)` as its `uuid`, so that
 * ids stay unique when a test swaps the `random` of retry jitter for a fixed one.
 *
 * @since 0.2.0
 */
export const uuidFromRandom = (random: () => number): string =>
  'xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx'.replace(/[xy]/g, (position) => {
    const digit = Math.floor(random() * 16)
    return (position === 'x' ? digit : (digit & 0x3) | 0x8).toString(16)
  })

/** A request id from the runtime's `uuid`, or drawn from `random` when it has none or it throws. */
const requestIdFor = ({ uuid, random }: Running['capabilities']): string => {
  const id = uuid === undefined ? undefined : callHook(uuid, [], undefined)
  return typeof id === 'string' && id !== '' ? id : uuidFromRandom(random)
}

/** The URL without its query: what throttle memory remembers an endpoint by. */
export const endpointOf = (url: string): string => url.split('?', 1)[0] ?? url

/**
 * A slot of the IMDS limiter, waited for within the deadline and the caller's abort; `'free'`
 * when the run is not limited, `undefined` when time or the caller ran out first.
 */
const slotFor = async (context: Running): Promise<Release | 'free' | undefined> => {
  const limiter = context.capabilities.imdsLimiter
  if (context.limited !== true || limiter === undefined) return 'free'
  const leave = createCancellation()
  const onAbort = () => leave.cancel('the caller aborted')
  context.signal?.addEventListener('abort', onAbort, { once: true })
  const waiting = Promise.resolve().then(() => limiter.acquire(leave.signal))
  const slot = await beforeTimeout(context, context.deadline - context.capabilities.now(), waiting)
  context.signal?.removeEventListener('abort', onAbort)
  if (slot !== undefined) return slot
  leave.cancel('the wait is over')
  // a slot granted just as the wait was given up goes straight back
  void waiting.then((late) => late?.()).catch(() => undefined)
  return undefined
}

/** Send once with a signal of the attempt's own, aborted by the caller's or when the watchdog gives up. */
const attemptSend = async (context: Running, request: HttpRequest): Promise<Result> => {
  const attempt = createCancellation()
  const onAbort = () => attempt.cancel('the caller aborted')
  context.signal?.addEventListener('abort', onAbort, { once: true })
  if (context.signal?.aborted === true) onAbort()
  const sent = Promise.resolve()
    .then(() => context.capabilities.send(request, attempt.signal, hintsOf(context)))
    .catch((error: unknown) =>
      E.left(transportFailure('other', error instanceof Error ? error.message : 'the transport failed')),
    )
  const result = await beforeTimeout(context, request.timeoutMs, sent)
  context.signal?.removeEventListener('abort', onAbort)
  attempt.cancel('the attempt is over')
  return result ?? E.left(transportFailure('timeout', `no complete reply within ${request.timeoutMs} ms`))
}

/** The reply or failure with every spelling of every secret the run knows masked. */
const scrubbed = (result: Result, secrets: ReadonlyArray<string>): Result => {
  const spellings = spellingsOfAll(secrets)
  if (spellings.length === 0) return result
  const mask = (text: string) => maskSpellings(text, spellings)
  if (E.isLeft(result)) return E.left({ ...result.left, detail: mask(result.left.detail) })
  const { status, headers, body } = result.right
  const maskedHeaders = Object.fromEntries(
    Object.entries(headers).map(([name, value]) => [name, mask(value)]),
  )
  return E.right({ status, headers: maskedHeaders, body: mask(body) })
}

const lastReplyOf = (request: HttpRequest, outcome: SendOutcome): LastReply | undefined =>
  E.isLeft(outcome.result)
    ? undefined
    : {
        endpoint: endpointOf(request.url),
        status: outcome.result.right.status,
        retryAfterMs: parseRetryAfter(headerValue(outcome.result.right, 'retry-after'), outcome.receivedAt),
        requestId: outcome.requestId,
      }

/** Send `request` (already given its id and timeout) and read the outcome, logged and observed. */
const exchange = async (context: Running, request: HttpRequest, requestId: string, progress: Progress) => {
  const { now } = context.capabilities
  const { method, url, headers, timeoutMs } = request
  // Header names only: their values may be secrets.
  const names = Object.keys(headers).join(', ')
  log(context, {
    event: 'request-sent',
    source: context.source,
    method,
    url,
    headers: names,
    timeoutMs,
    requestId,
  })
  const finish = callHook(context.onAttempt, [{ request, requestId }], undefined)
  const sentAt = now()
  const result = scrubbed(await attemptSend(context, request), [...context.secrets, ...progress.secrets])
  const outcome: SendOutcome = {
    result,
    sentAt,
    receivedAt: now(),
    timeoutMs,
    requestNumber: progress.requests + 1,
    requestId,
  }
  callHook(finish, [outcome], undefined)
  const reading = E.isRight(result) ? { status: result.right.status } : { failure: result.left.kind }
  log(context, {
    event: 'reply-received',
    source: context.source,
    ...reading,
    ms: outcome.receivedAt - sentAt,
    requestId,
  })
  return outcome
}

const stopped = (context: Running): ManagedIdentityError =>
  context.signal?.aborted === true
    ? aborted({ source: context.source, message: 'The token request was aborted by the caller.' })
    : outOfTime(context)

/** Run one `Send`. */
export const runSend = async <A>(
  context: Running,
  step: Send<A>,
  progress: Progress,
): Promise<Progressed<A>> => {
  const held = context.throttled?.(endpointOf(step.request.url))
  if (held !== undefined) return { plan: failed(held), progress }
  if (progress.requests >= REQUEST_BOUND)
    return { plan: failed(requestBoundReached(context.source)), progress }
  if (context.deadline - context.capabilities.now() <= 0)
    return { plan: failed(outOfTime(context)), progress }
  const slot = await slotFor(context)
  if (slot === undefined) return { plan: failed(stopped(context)), progress }
  try {
    const remaining = context.deadline - context.capabilities.now()
    if (remaining <= 0) return { plan: failed(outOfTime(context)), progress }
    const requestId = requestIdFor(context.capabilities)
    const headers = { ...step.request.headers, [REQUEST_ID_HEADER]: requestId }
    const request = { ...step.request, headers, timeoutMs: Math.min(step.request.timeoutMs, remaining) }
    const outcome = await exchange(context, request, requestId, progress)
    const lastReply = lastReplyOf(request, outcome)
    const advanced = { ...progress, requests: outcome.requestNumber, lastReply, lastRequestId: requestId }
    return { plan: step.next(outcome), progress: advanced }
  } finally {
    if (slot !== 'free') slot()
  }
}
