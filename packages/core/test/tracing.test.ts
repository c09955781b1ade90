/**
 * Spans for a caller's tracer (docs/protocol.md §6.2), checked with a recording tracer shaped
 * like OpenTelemetry's (the real SDK is exercised in packages/interop): a getToken span, an HTTP
 * child span per attempt linked through the context, no secret in any attribute, and a tracer
 * that throws changes nothing.
 */
import { describe, expect, test } from 'vitest'
import { createManagedIdentityClient, type SpanLike, type TracerLike } from '../src/index.js'
import { fakeWorld, json, tokenReply } from './fakes.js'

const HEADER = 'identity-header-secret-value'
const ENV = { IDENTITY_ENDPOINT: 'http://127.0.0.1:1/msi/token', IDENTITY_HEADER: HEADER }
const SCOPE = 'https://vault.azure.net/.default'
const SPAN_KEY = Symbol.for('OpenTelemetry Context Key SPAN')

interface Recorded {
  readonly name: string
  readonly attributes: Record<string, unknown>
  readonly parent: unknown
  status?: unknown
  exceptions: Array<unknown>
  ended: boolean
  readonly span: SpanLike
}

const recordingTracer = () => {
  const spans: Array<Recorded> = []
  const tracer: TracerLike = {
    startSpan: (name, options, context) => {
      const record: Recorded = {
        name,
        attributes: { ...options?.attributes },
        parent: (context as { getValue?: (key: symbol) => unknown } | undefined)?.getValue?.(SPAN_KEY),
        exceptions: [],
        ended: false,
        span: {
          setAttribute: (key, value) => {
            record.attributes[key] = value
          },
          setStatus: (status) => {
            record.status = status
          },
          recordException: (exception) => {
            record.exceptions.push(exception)
          },
          end: () => {
            record.ended = true
          },
        },
      }
      spans.push(record)
      return record.span
    },
  }
  return { tracer, spans }
}

describe('spans', () => {
  test('a getToken span with source, cache outcome and attempts; an HTTP span per attempt, its child', async () => {
    const { tracer, spans } = recordingTracer()
    const world = fakeWorld({
      respond: (_r, index) => (index === 0 ? json(503, {}) : tokenReply('the-token')),
    })
    const client = createManagedIdentityClient({ env: ENV, tracer }, world.capabilities)
    await client.getToken(SCOPE)
    await client.getToken(SCOPE)
    const [call, first, second, cached] = spans
    expect(call).toMatchObject({ name: 'ManagedIdentityCredential.getToken', ended: true })
    expect(call?.attributes).toMatchObject({
      'azmi.source': 'AppService',
      'azmi.cache': 'miss',
      'azmi.attempts': 2,
    })
    expect([first?.name, second?.name]).toEqual(['HTTP GET', 'HTTP GET'])
    expect(first?.parent).toBe(call?.span)
    expect(first?.attributes).toMatchObject({
      'http.request.method': 'GET',
      'server.address': '127.0.0.1',
      'http.response.status_code': 503,
    })
    expect(first?.attributes['azmi.request_id']).toBe(world.sent[0]?.headers['x-ms-client-request-id'])
    expect(cached?.attributes).toMatchObject({ 'azmi.cache': 'hit', 'azmi.attempts': 0 })
    expect(JSON.stringify(spans.map((span) => span.attributes))).not.toMatch(
      /identity-header-secret-value|the-token/,
    )
  })

  test('a failed call records the error and its code', async () => {
    const { tracer, spans } = recordingTracer()
    const world = fakeWorld({ respond: () => json(401, { error: 'nope' }) })
    await createManagedIdentityClient({ env: ENV, tracer }, world.capabilities).getToken(SCOPE)
    expect(spans[0]).toMatchObject({ status: { code: 2 }, attributes: { 'azmi.error.code': 'http_error' } })
    expect(spans[0]?.exceptions).toHaveLength(1)
  })

  test('a tracer that throws everywhere changes nothing', async () => {
    const throwing = () => {
      throw new Error('tracer bug')
    }
    const broken: TracerLike = {
      startSpan: () => ({
        setAttribute: throwing,
        setStatus: throwing,
        recordException: throwing,
        end: throwing,
      }),
    }
    const world = fakeWorld({})
    const result = await createManagedIdentityClient(
      { env: ENV, tracer: broken },
      world.capabilities,
    ).getToken(SCOPE)
    expect(result).toMatchObject({ right: { token: 'token-value' } })
    const exploding: TracerLike = { startSpan: throwing as never }
    const again = await createManagedIdentityClient(
      { env: ENV, tracer: exploding },
      world.capabilities,
    ).getToken(SCOPE)
    expect(again).toMatchObject({ _tag: 'Right' })
  })
})
