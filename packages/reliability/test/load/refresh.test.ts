/**
 * Refresh under load, in credential time: an offset clock (real time plus a jump the test
 * makes) crosses refresh times and expiries hours ahead; the emulator's tokens keep their
 * real expiry, so the credential sees them age.
 *
 * - Background refresh: while callers keep asking, each refresh window brings exactly one
 *   request per scope, and no caller ever gets an error or waits for it.
 * - An endpoint that fails every refresh: callers keep getting the still-valid token (at most
 *   one attempt per 30 s) until it expires, and then a clear error.
 */
import type { Emulator, RecordedRequest } from '@azmi/emulator'
import {
  emulatorForTest,
  nextTurn,
  offsetClock,
  requestsTo,
  waitUntil,
  watchUnhandledRejections,
} from '@azmi/test-support'
import { describe, expect, test } from 'vitest'
import { SCOPE } from '../support/environments.js'
import { describeOutcome, failed, type Outcome, settle } from '../support/settle.js'
import { baseCredentialFor, shells, type Token } from '../support/shells.js'
import { reportGroup } from '../support/verdict.js'

watchUnhandledRejections()
const { group, record } = reportGroup('load-refresh', 'Load')

const SCOPES = Array.from({ length: 10 }, (_, index) => `https://refresh-${index}.example.com/.default`)
const CALLERS_PER_SCOPE = 10
const WINDOWS = 3
const tuning = { timeoutMs: 5_000, deadlineMs: 10_000, retry: { maxRetries: 0 } }

/** The HTTP status an error carries, if any. */
const statusOf = (outcome: Outcome | undefined) =>
  outcome?.kind === 'error' && 'status' in outcome.details ? outcome.details.status : 'none'

const tokenRequests = (emulator: Emulator): ReadonlyArray<RecordedRequest> =>
  requestsTo(emulator, 'AppService')

describe('background refresh', () => {
  test.for(shells)(
    '%s: one refresh per scope per refresh window, under continuous load',
    async (shell, context) => {
      // 24 h tokens: the half-life rule allows several refresh windows before expiry draws near
      const emulator = await emulatorForTest(context)
      const clock = offsetClock()
      const { credential, events } = baseCredentialFor(
        shell,
        { env: emulator.env('AppService'), ...tuning },
        clock.capabilities,
      )
      const latest = new Map<string, Token>()
      for (const scope of SCOPES) latest.set(scope, await credential.getToken(scope))
      expect(tokenRequests(emulator)).toHaveLength(SCOPES.length)

      // callers that never stop asking, each yielding to I/O between calls
      let running = true
      const problems: Outcome[] = []
      const callers = SCOPES.flatMap((scope) =>
        Array.from({ length: CALLERS_PER_SCOPE }, async () => {
          while (running) {
            const { outcome } = await settle(() => credential.getToken(scope))
            if (outcome.kind === 'token') latest.set(scope, outcome.token)
            else problems.push(outcome)
            await nextTurn()
          }
        }),
      )

      const perWindow: number[] = []
      for (let window = 1; window <= WINDOWS; window += 1) {
        const before = new Map(latest)
        const refreshAfter = Math.max(
          ...[...before.values()].map((token) => token.refreshAfterTimestamp ?? Infinity),
        )
        expect(refreshAfter).toBeLessThan(Infinity)
        const sent = tokenRequests(emulator).length
        clock.jumpTo(refreshAfter + 1_000)
        // every scope's callers move on to a new token, fetched in the background
        await waitUntil(() => SCOPES.every((scope) => latest.get(scope)?.token !== before.get(scope)?.token))
        // the load goes on, and time moves on within the new window: nothing more is sent
        clock.jumpTo(clock.now() + 10 * 60_000)
        for (let turn = 0; turn < 20; turn += 1) await nextTurn()
        const inWindow = tokenRequests(emulator).slice(sent)
        perWindow.push(inWindow.length)
        expect(inWindow.map((request) => request.query.resource).sort()).toEqual(
          SCOPES.map((scope) => scope.replace('/.default', '')).sort(),
        )
      }
      running = false
      await Promise.all(callers)
      const refreshes = events.filter((event) => event.event === 'refresh-started').length
      record({
        group,
        case: `background refresh under continuous load (${SCOPES.length} scopes × ${CALLERS_PER_SCOPE} callers, ${WINDOWS} windows)`,
        shell,
        source: 'AppService',
        expected: `${Array.from({ length: WINDOWS }, () => SCOPES.length).join(', ')} requests per window, 0 caller errors`,
        actual: `${perWindow.join(', ')} requests per window, ${problems.length} caller errors`,
        requests: tokenRequests(emulator).length,
        note: `${refreshes} background refreshes`,
        test: context.task.fullName,
      })
      expect(problems).toEqual([])
      expect(perWindow).toEqual(Array.from({ length: WINDOWS }, () => SCOPES.length))
      expect(refreshes).toBe(WINDOWS * SCOPES.length)
    },
  )
})

describe('an endpoint that fails every refresh', () => {
  test.for(shells)(
    '%s: the still-valid token until it expires, then a clear error',
    async (shell, context) => {
      // Tokens of 2 h + 1 min: a refresh is due after about an hour (the half-life rule). Exactly
      // 2 h would get none: the core measures the lifetime from when it sent the request, and
      // whole-second expiries make that a little under 2 h (see docs/reliability.md, findings).
      const emulator = await emulatorForTest(context, { tokenLifetimeSeconds: 2 * 60 * 60 + 60 })
      const clock = offsetClock()
      const { credential, events } = baseCredentialFor(
        shell,
        { env: emulator.env('AppService'), ...tuning },
        clock.capabilities,
      )
      const original = await credential.getToken(SCOPE)
      const refreshAfter = original.refreshAfterTimestamp ?? Number.NaN
      const expiresOn = original.expiresOnTimestamp
      expect(refreshAfter).toBeLessThan(expiresOn)
      emulator.script(
        'AppService',
        Array.from({ length: 100 }, () => ({ status: 503 })),
      )

      const refreshFailures = () => events.filter((event) => event.event === 'refresh-failed').length
      /** 50 callers at once at credential time `at`; then whatever they started is left to finish. */
      const callersAt = async (at: number) => {
        clock.jumpTo(at)
        const settled = await Promise.all(
          Array.from({ length: 50 }, () => settle(() => credential.getToken(SCOPE))),
        )
        return settled.map(({ outcome }) =>
          outcome.kind === 'token' && outcome.token.token === original.token
            ? 'the cached token'
            : describeOutcome(outcome),
        )
      }
      const steps = [
        { name: 'past the refresh time: a background refresh fails', at: refreshAfter + 1_000, attempts: 1 },
        { name: '10 s later: no new attempt (one per 30 s)', at: refreshAfter + 11_000, attempts: 0 },
        {
          name: '31 s after the first attempt: another background attempt',
          at: refreshAfter + 32_000,
          attempts: 1,
        },
        {
          name: 'inside the 5-minute expiry margin: callers share one failing attempt',
          at: expiresOn - 4 * 60_000,
          attempts: 1,
        },
        {
          name: '3 minutes later: one more attempt, still the cached token',
          at: expiresOn - 60_000,
          attempts: 1,
        },
      ]
      for (const step of steps) {
        const sent = tokenRequests(emulator).length
        const failures = refreshFailures()
        const outcomes = new Set(await callersAt(step.at))
        // a background attempt reports its failure to the logger once it is over
        if (step.name.includes('background')) await waitUntil(() => refreshFailures() > failures)
        const attempts = tokenRequests(emulator).length - sent
        record({
          group,
          case: `refresh always failing (503): ${step.name}`,
          shell,
          source: 'AppService',
          expected: `the cached token ×50, ${step.attempts} request`,
          actual: `${[...outcomes].join(' | ')} ×50, ${attempts} request`,
          requests: attempts,
          test: context.task.fullName,
        })
        expect([...outcomes]).toEqual(['the cached token'])
        expect(attempts).toBe(step.attempts)
      }

      const sent = tokenRequests(emulator).length
      clock.jumpTo(expiresOn + 1_000)
      const [afterExpiry] = await Promise.all(
        Array.from({ length: 50 }, () => settle(() => credential.getToken(SCOPE))),
      )
      const attempts = tokenRequests(emulator).length - sent
      const expected = failed('http_error')
      record({
        group,
        case: 'refresh always failing (503): after expiry, a clear error',
        shell,
        source: 'AppService',
        expected: `${describeOutcome(expected)} (status 503), 1 request`,
        actual: `${afterExpiry ? describeOutcome(afterExpiry.outcome) : 'nothing'} (status ${statusOf(afterExpiry?.outcome)}), ${attempts} request`,
        requests: attempts,
        test: context.task.fullName,
      })
      expect(afterExpiry && describeOutcome(afterExpiry.outcome)).toBe(describeOutcome(expected))
      expect(afterExpiry?.outcome.kind === 'error' && afterExpiry.outcome.message).toContain('status 503')
      expect(attempts).toBe(1)
    },
  )
})
