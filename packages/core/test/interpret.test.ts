/**
 * The interpreter's own rules, over fake capabilities: the deadline bounds every send, wait and
 * file read, whatever the capability does; secrets are masked in every spelling before a plan
 * sees a reply or a failure.
 */
import fc from 'fast-check'
import * as E from 'fp-ts/lib/Either.js'
import { describe, expect, test } from 'vitest'
import { type Capabilities, type HttpRequest, runPlan, transportFailure } from '../src/index.js'
import { done, failed, readFile, send } from '../src/plan.js'
import { errorForStatus } from '../src/reply.js'
import { fakeWorld, json } from './fakes.js'

const REQUEST: HttpRequest = { method: 'GET', url: 'http://127.0.0.1:1/token', headers: {}, timeoutMs: 5_000 }

const context = (capabilities: Capabilities, secrets: ReadonlyArray<string> = [], deadlineMs = 10_000) => ({
  capabilities,
  source: 'AppService' as const,
  signal: undefined,
  deadlineMs,
  secrets,
  files: new Map(),
})

/** A real-time watchdog, for the tests whose capability never settles. */
const realTimer: Capabilities['timer'] = (ms) => new Promise((resolve) => setTimeout(resolve, ms))

describe('the deadline bounds what capabilities do', () => {
  test('a send that never settles ends as a timeout at the attempt timeout', async () => {
    const world = fakeWorld({})
    const capabilities = {
      ...world.capabilities,
      send: () => new Promise<never>(() => undefined),
      timer: realTimer,
    }
    const plan = send({ ...REQUEST, timeoutMs: 20 }, (outcome) => done(outcome.result))
    const report = await runPlan(plan, context(capabilities))
    expect(report.result).toMatchObject({ right: { _tag: 'Left', left: { kind: 'timeout' } } })
  })

  test('a file read that never settles fails the run as a timeout at the deadline', async () => {
    const world = fakeWorld({})
    const capabilities = {
      ...world.capabilities,
      readFile: () => new Promise<never>(() => undefined),
      timer: realTimer,
    }
    const plan = readFile({ path: '/k', maxBytes: 10, reuse: { _tag: 'Never' }, secret: true }, () =>
      done('read'),
    )
    const report = await runPlan(plan, context(capabilities, [], 20))
    expect(report.result).toMatchObject({ left: { _tag: 'Timeout', code: 'timeout' } })
  })

  test('a send that throws is a transport failure, not a rejection', async () => {
    const world = fakeWorld({})
    const capabilities = {
      ...world.capabilities,
      send: () => {
        throw new Error('bug in a custom transport')
      },
    }
    const report = await runPlan(
      send(REQUEST, (outcome) => done(outcome.result)),
      context(capabilities),
    )
    expect(report.result).toMatchObject({ right: { _tag: 'Left', left: { kind: 'other' } } })
  })
})

describe('secrets are masked before a plan sees a reply', () => {
  const spellings = (secret: string) => [
    secret,
    ` ${secret} `.trim(),
    JSON.stringify(secret).slice(1, -1),
    encodeURIComponent(secret),
  ]
  const secretArbitrary = fc.string({
    minLength: 8,
    maxLength: 40,
    unit: fc.constantFrom(...'abcXYZ019-_.~+/="\\ '),
  })

  test('in a reply body, in every spelling, even across the 1000-character quote limit', async () => {
    await fc.assert(
      fc.asyncProperty(secretArbitrary, fc.integer({ min: 0, max: 1100 }), async (generated, offset) => {
        const secret = `S3cr3t${generated}`
        const echo = spellings(secret).join(' | ')
        const world = fakeWorld({ respond: () => json(500, `${'x'.repeat(offset)}${echo}`) })
        const plan = send(REQUEST, (outcome) =>
          E.isRight(outcome.result) ? failed(errorForStatus('AppService', outcome.result.right)) : done('no'),
        )
        const report = await runPlan(plan, context(world.capabilities, [secret]))
        const visible = JSON.stringify(report.result)
        for (const spelling of spellings(secret)) expect(visible).not.toContain(spelling)
      }),
      { numRuns: 200 },
    )
  })

  test('in a transport failure detail that quotes the request', async () => {
    await fc.assert(
      fc.asyncProperty(secretArbitrary, async (generated) => {
        const secret = `S3cr3t${generated}`
        const world = fakeWorld({
          respond: () =>
            transportFailure('other', `invalid header value ${JSON.stringify(secret)} (${secret})`),
        })
        const report = await runPlan(
          send(REQUEST, (outcome) => done(outcome.result)),
          context(world.capabilities, [secret]),
        )
        expect(JSON.stringify(report.result)).not.toContain(secret)
        expect(JSON.stringify(report.result)).not.toContain(JSON.stringify(secret).slice(1, -1))
      }),
      { numRuns: 100 },
    )
  })
})
