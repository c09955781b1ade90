/**
 * Spans for a caller-supplied OpenTelemetry tracer (docs/protocol.md §6.2), typed structurally:
 * the core imports nothing of OpenTelemetry. A `ManagedIdentityCredential.getToken` span per
 * call, and an `HTTP <method>` child span per attempt it sends. Every call into the tracer is
 * isolated (a throwing tracer changes nothing), and no attribute ever holds a secret or a token.
 *
 * @since 0.2.0
 */
import * as E from 'fp-ts/lib/Either.js'
import type { ManagedIdentityError } from './errors.js'
import { callMethod } from './hooks.js'
import type { AttemptStart } from './interpret.js'
import type { SendOutcome } from './plan.js'
import type { SourceName } from './sourceList.js'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/** A span attribute's value. */
export type AttributeValue = string | number | boolean

/** The part of an OpenTelemetry `Span` azmi uses. */
export interface SpanLike {
  /** Set one attribute. */
  setAttribute(key: string, value: AttributeValue): unknown
  /** `{ code: 2 }` is OpenTelemetry's `SpanStatusCode.ERROR`. */
  setStatus(status: { readonly code: number; readonly message?: string }): unknown
  /** Record an exception event. */
  recordException(exception: { readonly name: string; readonly message: string }): unknown
  /** End the span. */
  end(): unknown
}

/** The part of an OpenTelemetry `Tracer` azmi uses: `startSpan(name, options, context?)`. */
export interface TracerLike {
  /** Start a span; `context` (OpenTelemetry's `Context`) names its parent. */
  startSpan(
    name: string,
    options?: { readonly kind?: number; readonly attributes?: Readonly<Record<string, AttributeValue>> },
    context?: unknown,
  ): SpanLike
}

/** How a call was served, for the `azmi.cache` attribute. */
export type CacheOutcome = 'hit' | 'miss' | 'refresh' | 'stale' | 'claims'

/** The span of one `getToken`, and the spans of the attempts it sends. */
export interface CallSpan {
  /** Start an attempt's child span; the function returned ends it with the outcome. */
  readonly attempt: (attempt: AttemptStart) => ((outcome: SendOutcome) => void) | undefined
  /** End the call's span. */
  readonly end: (
    result: E.Either<ManagedIdentityError, unknown>,
    cache: CacheOutcome,
    attempts: number,
  ) => void
}

// -------------------------------------------------------------------------------------
// spans
// -------------------------------------------------------------------------------------

const SPAN_KIND_INTERNAL = 0
const SPAN_KIND_CLIENT = 2
const STATUS_ERROR = 2
/** The key OpenTelemetry's API keeps a context's span under (`Symbol.for`, shared by every copy of the API). */
const SPAN_KEY = Symbol.for('OpenTelemetry Context Key SPAN')

/** An OpenTelemetry-shaped `Context` (immutable `getValue`/`setValue`/`deleteValue`) over `values`. */
const contextOf = (values: ReadonlyMap<symbol, unknown>): unknown => ({
  getValue: (key: symbol) => values.get(key),
  setValue: (key: symbol, value: unknown) => contextOf(new Map([...values, [key, value]])),
  deleteValue: (key: symbol) => contextOf(new Map([...values].filter(([each]) => each !== key))),
})

/** A context whose span is `parent`, so spans started in it become its children. */
const contextWith = (parent: SpanLike): unknown => contextOf(new Map([[SPAN_KEY, parent]]))

const set = (span: unknown, key: string, value: AttributeValue): void => {
  callMethod(span, 'setAttribute', [key, value])
}

const fail = (span: unknown, error: ManagedIdentityError): void => {
  set(span, 'azmi.error.code', error.code)
  callMethod(span, 'setStatus', [{ code: STATUS_ERROR, message: error.code }])
  callMethod(span, 'recordException', [{ name: error._tag, message: error.message }])
}

const hostOf = (url: string): string => {
  try {
    return new URL(url).hostname
  } catch {
    return ''
  }
}

const attemptSpan = (tracer: TracerLike, parent: unknown, attempt: AttemptStart) => {
  const { method } = attempt.request
  const attributes = { 'http.request.method': method, 'server.address': hostOf(attempt.request.url) }
  const span = callMethod(tracer, 'startSpan', [
    `HTTP ${method}`,
    { kind: SPAN_KIND_CLIENT, attributes },
    parent,
  ])
  set(span, 'azmi.request_id', attempt.requestId)
  return (outcome: SendOutcome) => {
    if (E.isRight(outcome.result)) set(span, 'http.response.status_code', outcome.result.right.status)
    else set(span, 'error.type', outcome.result.left.kind)
    callMethod(span, 'end', [])
  }
}

/** Spans that do nothing, for a credential without a tracer. */
export const NO_SPAN: CallSpan = { attempt: () => undefined, end: () => undefined }

/** Whether `value` is shaped like an OpenTelemetry `Context` (a `getValue` function). */
const isContext = (value: unknown): boolean =>
  typeof value === 'object' &&
  value !== null &&
  typeof (value as { getValue?: unknown }).getValue === 'function'

/**
 * The span of one `getToken` for `source`, or spans that do nothing when there is no tracer.
 * Its parent is `parentContext` (the caller's `tracingOptions.tracingContext`) when that is a
 * `Context`, else whatever context the tracer considers active.
 */
export const startCallSpan = (
  tracer: TracerLike | undefined,
  source: SourceName,
  parentContext?: unknown,
): CallSpan => {
  if (tracer === undefined) return NO_SPAN
  const attributes = { 'azmi.source': source }
  const name = 'ManagedIdentityCredential.getToken'
  const context = isContext(parentContext) ? [parentContext] : []
  const span = callMethod(tracer, 'startSpan', [name, { kind: SPAN_KIND_INTERNAL, attributes }, ...context])
  const parent = typeof span === 'object' && span !== null ? contextWith(span as SpanLike) : undefined
  return {
    attempt: (attempt) => attemptSpan(tracer, parent, attempt),
    end: (result, cache, attempts) => {
      set(span, 'azmi.cache', cache)
      set(span, 'azmi.attempts', attempts)
      if (E.isLeft(result)) fail(span, result.left)
      callMethod(span, 'end', [])
    },
  }
}
