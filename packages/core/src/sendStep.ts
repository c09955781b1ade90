/**
 * Running a `Send` step: one attempt, its timeout cut to what is left of the deadline and
 * watched by the watchdog, its reply or failure scrubbed of every secret the run knows before
 * the plan sees it (docs/protocol.md §1.5).
 *
 * @since 0.2.0
 */
import * as E from 'fp-ts/lib/Either.js'
import { createCancellation } from './cancellation.js'
import { type HttpResponse, type TransportFailure, transportFailure } from './http.js'
import { failed, type Send, type SendOutcome } from './plan.js'
import { maskSpellings, spellingsOfAll } from './redact.js'
import { beforeTimeout, log, outOfTime, type Progress, type Progressed, type Running } from './running.js'

type Result = E.Either<TransportFailure, HttpResponse>

/** Send once with a signal of the attempt's own, aborted by the caller's or when the watchdog gives up. */
const attemptSend = async (context: Running, step: Send<unknown>, timeoutMs: number): Promise<Result> => {
  const attempt = createCancellation()
  const onAbort = () => attempt.cancel('the caller aborted')
  context.signal?.addEventListener('abort', onAbort, { once: true })
  if (context.signal?.aborted === true) onAbort()
  const sent = Promise.resolve()
    .then(() => context.capabilities.send({ ...step.request, timeoutMs }, attempt.signal))
    .catch((error: unknown) =>
      E.left(transportFailure('other', error instanceof Error ? error.message : 'the transport failed')),
    )
  const result = await beforeTimeout(context, timeoutMs, sent)
  context.signal?.removeEventListener('abort', onAbort)
  attempt.cancel('the attempt is over')
  return result ?? E.left(transportFailure('timeout', `no complete reply within ${timeoutMs} ms`))
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

/** Run one `Send`: logged, bounded, scrubbed, and counted against the run's requests. */
export const runSend = async <A>(
  context: Running,
  step: Send<A>,
  progress: Progress,
): Promise<Progressed<A>> => {
  const { now } = context.capabilities
  const remaining = context.deadline - now()
  if (remaining <= 0) return { plan: failed(outOfTime(context)), progress }
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
  const result = scrubbed(await attemptSend(context, step, timeoutMs), [
    ...context.secrets,
    ...progress.secrets,
  ])
  const requestNumber = progress.requests + 1
  const outcome: SendOutcome = { result, sentAt, receivedAt: now(), timeoutMs, requestNumber }
  log(context, {
    event: 'reply-received',
    source: context.source,
    ...(E.isRight(result) ? { status: result.right.status } : { failure: result.left.kind }),
    ms: outcome.receivedAt - sentAt,
  })
  return { plan: step.next(outcome), progress: { ...progress, requests: requestNumber } }
}
