/**
 * OpenTelemetry's own SDK as the tracer a test hands to a credential: a `BasicTracerProvider`
 * (`@opentelemetry/sdk-trace-base` 2.x, processors given to its constructor) whose
 * `SimpleSpanProcessor` passes every ended span to an `InMemorySpanExporter`. The spans a test
 * reads are the SDK's `ReadableSpan`s, exactly as an exporter to a real backend would get them.
 */
import type { Tracer } from '@opentelemetry/api'
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base'

/** A real SDK tracer and the spans it has finished. */
export interface RecordingTracer {
  readonly tracer: Tracer
  /** The spans ended so far, in the order they ended. */
  readonly finished: () => ReadonlyArray<ReadableSpan>
  /** Forget the spans ended so far. */
  readonly reset: () => void
  readonly shutdown: () => Promise<void>
}

/** A tracer named `azmi-test` from a fresh provider, recording into memory. */
export const recordingTracer = (): RecordingTracer => {
  const exporter = new InMemorySpanExporter()
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] })
  return {
    tracer: provider.getTracer('azmi-test'),
    finished: () => exporter.getFinishedSpans(),
    reset: () => exporter.reset(),
    shutdown: () => provider.shutdown(),
  }
}

/** The spans of `spans` whose parent (by the 2.x `parentSpanContext`) is `parent`, in the same trace. */
export const childrenOf = (
  parent: ReadableSpan,
  spans: ReadonlyArray<ReadableSpan>,
): ReadonlyArray<ReadableSpan> => {
  const { traceId, spanId } = parent.spanContext()
  return spans.filter(
    (span) => span.parentSpanContext?.spanId === spanId && span.spanContext().traceId === traceId,
  )
}

/**
 * Every piece of text a span carries to a backend: its name, attribute keys and values, status
 * message, and each event's name and attributes.
 */
export const textsOf = (span: ReadableSpan): ReadonlyArray<string> => [
  span.name,
  ...Object.entries(span.attributes).flatMap(([key, value]) => [key, String(value)]),
  span.status.message ?? '',
  ...span.events.flatMap((event) => [
    event.name,
    ...Object.entries(event.attributes ?? {}).flatMap(([key, value]) => [key, String(value)]),
  ]),
]
