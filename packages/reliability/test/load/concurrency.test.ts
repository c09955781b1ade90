/**
 * Many callers at once: 10,000 concurrent `getToken` calls across 100 scopes send exactly 100
 * requests (one per scope, shared by everyone waiting on it), every caller gets its scope's
 * token, and the next 10,000 are answered from the cache. When every request fails, the
 * failure is shared the same way: 100 requests, 10,000 handled rejections.
 */
import { decodeJwtPayload } from '@azmi/emulator'
import { emulatorForTest, requestsTo, watchUnhandledRejections } from '@azmi/test-support'
import { describe, expect, test } from 'vitest'
import { describeOutcome, failed, settle } from '../support/settle.js'
import { credentialFor, shells } from '../support/shells.js'
import { reportGroup } from '../support/verdict.js'

watchUnhandledRejections()
const { group, record } = reportGroup('load-concurrency', 'Load')

const SCOPES = Array.from({ length: 100 }, (_, index) => `https://resource-${index}.example.com/.default`)
const CALLS = 10_000
const resourceOf = (scope: string) => scope.replace(/\/\.default$/, '')
const tuning = { timeoutMs: 10_000, deadlineMs: 30_000, retry: { maxRetries: 0 } }

/** `CALLS` calls, interleaved over the scopes, all started before any settles. */
const callEveryScope = (getToken: (scope: string) => Promise<{ token: string }>) =>
  Promise.all(
    Array.from({ length: CALLS }, (_, index) => {
      const scope = SCOPES[index % SCOPES.length] ?? ''
      return settle(() => getToken(scope) as never).then((settled) => ({ scope, ...settled }))
    }),
  )

describe('concurrency', () => {
  test.for(shells)(
    '%s: 10,000 concurrent calls across 100 scopes send exactly 100 requests',
    async (shell, context) => {
      const emulator = await emulatorForTest(context)
      const { credential } = credentialFor(shell, { env: emulator.env('AppService'), ...tuning })
      const results = await callEveryScope((scope) => credential.getToken(scope))
      const requests = requestsTo(emulator, 'AppService')
      const tokensByScope = new Map<string, Set<string>>()
      for (const { scope, outcome } of results) {
        if (outcome.kind !== 'token') continue
        tokensByScope.set(scope, (tokensByScope.get(scope) ?? new Set()).add(outcome.token.token))
      }
      const tokens = results.filter(({ outcome }) => outcome.kind === 'token').length
      record({
        group,
        case: '10,000 concurrent calls across 100 scopes',
        shell,
        source: 'AppService',
        expected: 'token ×10000, 100 requests',
        actual: `token ×${tokens}, ${requests.length} requests`,
        requests: requests.length,
        test: context.task.fullName,
      })
      expect(tokens).toBe(CALLS)
      expect(requests).toHaveLength(SCOPES.length)
      // one request per scope, and every caller of a scope got the one token issued for it
      expect(requests.map((request) => request.query.resource).sort()).toEqual(SCOPES.map(resourceOf).sort())
      for (const scope of SCOPES) {
        const issued = [...(tokensByScope.get(scope) ?? [])]
        expect(issued).toHaveLength(1)
        expect(decodeJwtPayload(issued[0] ?? '')?.aud).toBe(resourceOf(scope))
      }

      // and now every one of them is cached
      const again = await callEveryScope((scope) => credential.getToken(scope))
      expect(again.every(({ outcome }) => outcome.kind === 'token')).toBe(true)
      expect(requestsTo(emulator, 'AppService')).toHaveLength(SCOPES.length)
    },
  )

  test.for(shells)(
    '%s: when every request fails, 10,000 callers share 100 failures',
    async (shell, context) => {
      const emulator = await emulatorForTest(context)
      emulator.script(
        'AppService',
        Array.from({ length: SCOPES.length }, () => ({ status: 503 })),
      )
      const { credential } = credentialFor(shell, { env: emulator.env('AppService'), ...tuning })
      const results = await callEveryScope((scope) => credential.getToken(scope))
      const requests = requestsTo(emulator, 'AppService')
      const outcomes = new Set(results.map(({ outcome }) => describeOutcome(outcome)))
      record({
        group,
        case: '10,000 concurrent calls across 100 scopes, every request failing (503)',
        shell,
        source: 'AppService',
        expected: `${describeOutcome(failed('http_error'))} ×10000, 100 requests`,
        actual: `${[...outcomes].join(' | ')} ×${results.length}, ${requests.length} requests`,
        requests: requests.length,
        test: context.task.fullName,
      })
      expect([...outcomes]).toEqual([describeOutcome(failed('http_error'))])
      expect(requests).toHaveLength(SCOPES.length)
    },
  )
})
