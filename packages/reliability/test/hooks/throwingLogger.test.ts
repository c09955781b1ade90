/**
 * Class 3: a hook that breaks must not break the call (docs/protocol.md §6). A `logger` that
 * throws on every event, or returns a promise that rejects, and a tracer whose `startSpan`
 * throws: through both shells' public constructors, over real sockets, the constructor does
 * not throw and `getToken` resolves or rejects exactly as it would without the hook, with an
 * `abortSignal` too. Before the fix the call rejected with the logger's raw `Error`, never
 * settled once a signal was given, and left a rejection unhandled.
 *
 * The last case repeats the signal cases in a plain Node process
 * (`fixtures/throwingLoggerProcess.ts`), which has no listener for unhandled rejections: an
 * unhandled one ends it with status 1, so status 0 proves there was none.
 */
import { fileURLToPath } from 'node:url'
import type { TracerLike } from '@azmi/core'
import type { Fault } from '@azmi/emulator'
import { emulatorForTest, runTypeScript, waitUntil, watchUnhandledRejections } from '@azmi/test-support'
import { describe, expect, test } from 'vitest'
import { SCOPE } from '../support/environments.js'
import { CLASS_GROUPS } from '../support/hostileClasses.js'
import { describeOutcome, type Expected, failed, settle, token } from '../support/settle.js'
import { credentialFor, type HarnessOptions, type Shell, shells, type Token } from '../support/shells.js'
import { reportGroup } from '../support/verdict.js'

watchUnhandledRejections()
const report = reportGroup('class-03-throwing-logger', CLASS_GROUPS[3])
const tuning = { timeoutMs: 5_000, deadlineMs: 10_000, retry: { maxRetries: 0 } }
const FIXTURE = fileURLToPath(new URL('../fixtures/throwingLoggerProcess.ts', import.meta.url))
/** Not a timing verdict: how long the child may run before it counts as stuck. */
const STUCK_AFTER_MS = 60_000

const throwing = () => {
  throw new Error('the logger broke')
}
const rejecting = () => Promise.reject(new Error('the logger broke, later'))
const brokenTracer: TracerLike = {
  startSpan: () => {
    throw new Error('the tracer broke')
  },
}

interface HookCase {
  readonly name: string
  readonly hooks: Pick<HarnessOptions, 'onEvent' | 'tracer'>
  readonly faults: ReadonlyArray<Fault>
  /** `'hung'`: abort once the request hangs; `'signal'`: pass a signal that never aborts. */
  readonly abort?: 'hung' | 'signal'
  readonly expected: Expected
}

const aborted: Expected = failed('aborted')

const hookCases: ReadonlyArray<HookCase> = [
  { name: 'a logger that throws: a token', hooks: { onEvent: throwing }, faults: [], expected: token },
  {
    name: 'a logger that throws: a 400 is still http_error',
    hooks: { onEvent: throwing },
    faults: [{ status: 400 }],
    expected: failed('http_error'),
  },
  {
    name: 'a logger that throws, with an abortSignal: a token',
    hooks: { onEvent: throwing },
    faults: [],
    abort: 'signal',
    expected: token,
  },
  {
    name: 'a logger that throws, aborted while the request hangs: aborted',
    hooks: { onEvent: throwing },
    faults: [{ hang: true }],
    abort: 'hung',
    expected: aborted,
  },
  {
    name: 'a logger whose promise rejects, with an abortSignal: a token',
    hooks: { onEvent: rejecting },
    faults: [],
    abort: 'signal',
    expected: token,
  },
  {
    name: 'a tracer whose startSpan throws: a token',
    hooks: { tracer: brokenTracer },
    faults: [],
    expected: token,
  },
]

/** The class each outcome is thrown as: `aborted` is an `AbortError`, the rest by family. */
const className = (expected: Expected) =>
  expected.kind === 'token'
    ? undefined
    : expected.code === 'aborted'
      ? 'AbortError'
      : expected.family === 'failed'
        ? 'AuthenticationError'
        : 'CredentialUnavailableError'

const runCase = async (shell: Shell, each: HookCase, context: Parameters<typeof emulatorForTest>[0]) => {
  const emulator = await emulatorForTest(context)
  emulator.script('AppService', each.faults)
  const controller = new AbortController()
  const options = each.abort === undefined ? undefined : { abortSignal: controller.signal }
  let made: ReturnType<typeof credentialFor> | undefined
  const settled = await settle(async (): Promise<Token> => {
    made = credentialFor(shell, { env: emulator.env('AppService'), ...tuning, ...each.hooks })
    const call = made.credential.getToken(SCOPE, options)
    if (each.abort === 'hung') {
      await waitUntil(() => emulator.requests.length > 0)
      controller.abort()
    }
    return call
  })
  made?.close()
  return { settled, requests: emulator.requests.length }
}

describe('class 3: hooks that break', () => {
  for (const shell of shells)
    for (const each of hookCases)
      test.concurrent(`${shell}: ${each.name}`, async (context) => {
        const { settled, requests } = await runCase(shell, each, context)
        const facts = { case: `class 3: ${each.name}`, shell, source: 'AppService', requests }
        report.record({
          group: report.group,
          ...facts,
          expected: describeOutcome(each.expected),
          actual: describeOutcome(settled.outcome),
          budgetMs: tuning.deadlineMs,
          elapsedMs: settled.elapsedMs,
          test: context.task.fullName,
        })
        expect(describeOutcome(settled.outcome)).toBe(describeOutcome(each.expected))
        if (settled.outcome.kind === 'error') expect(settled.outcome.name).toBe(className(each.expected))
      })

  test.concurrent('a throwing logger in the constructor: it does not throw', async (context) => {
    const emulator = await emulatorForTest(context)
    for (const shell of shells) {
      // the first event (source selection) is logged while the credential is built
      const build = () => credentialFor(shell, { env: emulator.env('AppService'), onEvent: throwing })
      let thrown: unknown
      try {
        build().close()
      } catch (error) {
        thrown = error
      }
      report.record({
        group: report.group,
        case: 'class 3: new ManagedIdentityCredential({ logger }) with a logger that throws',
        shell,
        source: 'AppService',
        expected: 'constructed',
        actual: thrown === undefined ? 'constructed' : `threw: ${String(thrown)}`,
        test: context.task.fullName,
      })
      expect(thrown).toBeUndefined()
    }
  })

  test(
    'a plain Node process with throwing loggers and abort signals exits 0 on its own',
    async (context) => {
      const child = await runTypeScript(FIXTURE, [], { stuckAfterMs: STUCK_AFTER_MS })
      const printed = JSON.parse(child.stdout.trim().split('\n').at(-1) ?? '{}') as {
        results?: ReadonlyArray<{ name: string; shell: Shell; expected: string; actual: string }>
      }
      const results = printed.results ?? []
      for (const result of results)
        report.record({
          group: report.group,
          case: `class 3, child process: ${result.name}`,
          shell: result.shell,
          source: 'AppService',
          expected: result.expected,
          actual: result.actual,
          test: context.task.fullName,
        })
      const status = child.exit === 'stuck' ? 'stuck' : `exited ${child.code ?? child.signal}`
      report.record({
        group: report.group,
        case: 'class 3, child process: no unhandled rejection ends it (Node default: exit 1)',
        shell: 'both',
        source: 'AppService',
        expected: 'exited 0',
        actual: status,
        test: context.task.fullName,
      })
      expect(child.stderr).toBe('')
      expect(child).toMatchObject({ exit: 'exited', code: 0 })
      expect(results).toHaveLength(16)
      for (const result of results)
        expect(result.actual, `${result.shell}: ${result.name}`).toBe(result.expected)
    },
    STUCK_AFTER_MS + 10_000,
  )
})
