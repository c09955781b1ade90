/**
 * Class 9: timers and the host's lifetime (docs/protocol.md §5, `core/src/timers.ts`).
 *
 * - A `Retry-After` of 35 days with no deadline (`deadlineMs: Infinity`) is a wait of 35 days,
 *   not a burst: Node turns a delay above 2³¹−1 ms into 1 ms, which once sent 4 requests in
 *   5 ms. The requests reaching the emulator are counted over a short window after the first,
 *   on the real clock (the overflow is the runtime's timer's), then the caller aborts.
 * - A background refresh that hangs must not keep a short script alive: a child process
 *   (`fixtures/shortScript.ts`) starts one against this process's emulator, which never
 *   answers it, and must end by itself, with status 0, before a generous 10 s watchdog would
 *   kill it (before the fix it lived until the refresh's attempt timed out). Its lifetime is
 *   recorded, not asserted. node-io's attempt timeout is 30 s, so only an unref'd socket and
 *   timer let it end in time. fetch-io cannot unref the socket of a `fetch` in flight (Node's
 *   undici holds it): a hanging refresh keeps it alive until its attempt times out, so its
 *   case runs with a 2 s attempt timeout and checks only that the process then ends by itself.
 */
import { fileURLToPath } from 'node:url'
import { emulatorForTest, runTypeScript, waitUntil, watchUnhandledRejections } from '@azmi/test-support'
import { describe, expect, test } from 'vitest'
import { SCOPE } from '../support/environments.js'
import { CLASS_GROUPS } from '../support/hostileClasses.js'
import { describeOutcome, settle } from '../support/settle.js'
import { credentialFor, shells } from '../support/shells.js'
import { reportGroup } from '../support/verdict.js'

watchUnhandledRejections()
const report = reportGroup('class-09-timers', CLASS_GROUPS[9])

const THIRTY_FIVE_DAYS_S = 35 * 24 * 3600
/** How long requests are counted after the first: ample for a burst, which takes milliseconds. */
const WINDOW_MS = 250
const SCRIPT = fileURLToPath(new URL('../fixtures/shortScript.ts', import.meta.url))
/** The watchdog: not a timing verdict, only when a child that never ends is killed. */
const WATCHDOG_MS = 10_000
/** The refresh's attempt timeout in the child, and what its end is expected to look like. */
const LIFETIME = {
  'node-io': { timeoutMs: 30_000, expected: 'exited 0, its 30 s refresh still pending' },
  'fetch-io': {
    timeoutMs: 2_000,
    expected: 'exited 0 once the 2 s refresh attempt timed out (fetch holds its socket)',
  },
} as const

describe('class 9: timers and process lifetime', () => {
  for (const shell of shells) {
    test.concurrent(
      `${shell}: a Retry-After of 35 days with no deadline waits, it does not burst`,
      async (context) => {
        const emulator = await emulatorForTest(context)
        const throttled = { status: 429, headers: { 'retry-after': String(THIRTY_FIVE_DAYS_S) } }
        emulator.script('AppService', [throttled, throttled, throttled, throttled])
        const { credential, close } = credentialFor(shell, {
          env: emulator.env('AppService'),
          deadlineMs: Number.POSITIVE_INFINITY,
          retry: { maxRetries: 3 },
        })
        const controller = new AbortController()
        const call = settle(() => credential.getToken(SCOPE, { abortSignal: controller.signal }))
        await waitUntil(() => emulator.requests.length > 0)
        await new Promise((resolve) => setTimeout(resolve, WINDOW_MS))
        const requests = emulator.requests.length
        controller.abort()
        const settled = await call
        close()
        report.record({
          group: report.group,
          case: `class 9: Retry-After ${THIRTY_FIVE_DAYS_S} s (35 days), deadlineMs Infinity: requests in the ${WINDOW_MS} ms after the first, then the caller aborts`,
          shell,
          source: 'AppService',
          expected: '1 request, then failed/aborted',
          actual: `${requests} request${requests === 1 ? '' : 's'}, then ${describeOutcome(settled.outcome)}`,
          requests,
          test: context.task.fullName,
        })
        expect(requests).toBe(1)
        expect(settled.outcome).toMatchObject({ kind: 'error', code: 'aborted' })
      },
    )

    test.concurrent(
      `${shell}: a hanging background refresh does not keep a short script alive`,
      async (context) => {
        const emulator = await emulatorForTest(context)
        const expiresOn = Math.floor(Date.now() / 1000) + 3 * 3600
        const dueAtOnce = JSON.stringify({ access_token: 'opaque', expires_on: expiresOn, refresh_in: 0 })
        emulator.script('AppService', [{ status: 200, body: dueAtOnce }, { hang: true }])
        const { timeoutMs, expected } = LIFETIME[shell]
        const started = performance.now()
        const child = await runTypeScript(
          SCRIPT,
          [shell, JSON.stringify(emulator.env('AppService')), String(timeoutMs)],
          { stuckAfterMs: WATCHDOG_MS },
        )
        const lifetimeMs = Math.round(performance.now() - started)
        const printed = JSON.parse(child.stdout.trim() || '{}') as { sameToken?: boolean; events?: string[] }
        const ended =
          child.exit === 'stuck' ? `killed by the ${WATCHDOG_MS / 1000} s watchdog` : `exited ${child.code}`
        report.record({
          group: report.group,
          case: 'class 9: a script whose background refresh hangs at the endpoint ends by itself',
          shell,
          source: 'AppService',
          expected,
          actual: ended === 'exited 0' ? expected : ended,
          requests: emulator.requests.length,
          note: `child lifetime ${lifetimeMs} ms, Node start-up and tsx included`,
          test: context.task.fullName,
        })
        expect(ended).toBe('exited 0')
        expect(child.stderr).toBe('')
        // the cached token was served while the refresh went out and was never answered
        expect(printed.sameToken).toBe(true)
        expect(printed.events).toContain('refresh-started')
        expect(emulator.requests).toHaveLength(2)
      },
      WATCHDOG_MS + 10_000,
    )
  }
})
