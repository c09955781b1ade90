/**
 * A 302 to another host, on every source through both shells: the credential never follows
 * it, so nothing (above all no identity header, Arc key or federated token) reaches that
 * host, and the call fails with the status it got. Arc is redirected on both requests: the
 * challenge, and the keyed request that carries the key.
 */
import type { EnvironmentName, Fault } from '@azmi/emulator'
import {
  answerEmptyJson,
  emulatorForTest,
  requestsTo,
  resourcesOf,
  watchUnhandledRejections,
} from '@azmi/test-support'
import { describe, expect, test } from 'vitest'
import { credentialTarget, SCOPE, shellSourcePairs } from '../support/environments.js'
import { type Expected, failed, settle } from '../support/settle.js'
import { credentialFor, type Shell, shells } from '../support/shells.js'
import { reportGroup } from '../support/verdict.js'

watchUnhandledRejections()
const { check } = reportGroup('hostile-redirect', 'Hostile input: redirects')

interface RedirectCase {
  readonly shell: Shell
  readonly source: EnvironmentName
  /** Which request is redirected: Arc has two. */
  readonly leg: 'token request' | 'Arc challenge' | 'Arc keyed request'
}

const redirectCases: ReadonlyArray<RedirectCase> = shellSourcePairs(shells).flatMap(
  ({ shell, source }): ReadonlyArray<RedirectCase> =>
    source === 'AzureArc'
      ? [
          { shell, source, leg: 'Arc challenge' },
          { shell, source, leg: 'Arc keyed request' },
        ]
      : [{ shell, source, leg: 'token request' }],
)

describe('a 302 to another host', () => {
  for (const { shell, source, leg } of redirectCases)
    test.concurrent(`${shell}, ${source}, ${leg}`, async (context) => {
      const emulator = await emulatorForTest(context)
      const elsewhere = await resourcesOf(context).serve(answerEmptyJson)
      const redirect: Fault = { redirectTo: `${elsewhere.url}/steal?from=${source}` }
      emulator.script(source, leg === 'Arc keyed request' ? [{ delayMs: 0 }, redirect] : [redirect])
      const { credential } = credentialFor(shell, {
        ...credentialTarget(emulator, source),
        timeoutMs: 2_000,
        deadlineMs: 5_000,
        retry: { maxRetries: 2, initialDelayMs: 5, maxDelayMs: 20 },
      })
      const settled = await settle(() => credential.getToken(SCOPE))
      // a redirected challenge is not a challenge; any other redirect is an error status
      const expected: Expected = leg === 'Arc challenge' ? failed('arc_challenge') : failed('http_error')
      const facts = { case: `302 to another host (${leg})`, shell, source, budgetMs: 5_000 }
      const note = 'requests = requests that reached the other host'
      check(context, { ...facts, requests: elsewhere.requests.length, note }, settled, expected)
      if (settled.outcome.kind === 'error') expect(settled.outcome.details).toMatchObject({ status: 302 })
      expect(elsewhere.requests).toEqual([])
      // not retried either: one request (two for Arc's keyed leg)
      expect(requestsTo(emulator, source)).toHaveLength(leg === 'Arc keyed request' ? 2 : 1)
    })
})
