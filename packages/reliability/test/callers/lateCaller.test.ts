/**
 * Class 4: a caller who arrives after every earlier waiter has aborted gets a request of its
 * own, never the earlier abort (docs/protocol.md §5, last rule). The only waiter of a shared
 * request aborts and, in the same tick, a caller without a signal asks for the same scope:
 * before the request started, while it hangs at the endpoint, and while the cancelled run
 * still sits in a slow file read (workload identity's federated token, read by a reader that
 * ignores the abort, as a slow disk would). Both shells, over real sockets. Before the fix the
 * late caller got `AbortError`.
 */
import type { Capabilities } from '@azmi/core'
import type { Emulator, EnvironmentName } from '@azmi/emulator'
import { emulatorForTest, signalled, waitUntil, watchUnhandledRejections } from '@azmi/test-support'
import { describe, expect, test } from 'vitest'
import { credentialTarget, SCOPE } from '../support/environments.js'
import { CLASS_GROUPS } from '../support/hostileClasses.js'
import { describeOutcome, settle } from '../support/settle.js'
import { baseCredentialWith, credentialFor, type Harness, type Shell, shells } from '../support/shells.js'
import { reportGroup } from '../support/verdict.js'

watchUnhandledRejections()
const report = reportGroup('class-04-late-caller', CLASS_GROUPS[4])
const tuning = { timeoutMs: 5_000, deadlineMs: 10_000, retry: { maxRetries: 0 } }

/** A reader whose first read waits for `release` (ignoring any abort); later reads go straight through. */
const slowFirstRead = (real: Capabilities) => {
  const started = signalled()
  const release = signalled()
  let reads = 0
  const readFile: Capabilities['readFile'] = async (path, maxBytes) => {
    reads += 1
    if (reads === 1) {
      started.resolve()
      await release.promise
    }
    if (real.readFile === undefined) throw new Error('the shell has no readFile')
    return real.readFile(path, maxBytes)
  }
  return { readFile, started: started.promise, release: () => release.resolve(), reads: () => reads }
}

interface LateCase {
  readonly name: string
  readonly source: EnvironmentName
  /** Builds the credential; `ready` resolves when the first caller's run is where it must be aborted. */
  readonly arrange: (
    shell: Shell,
    emulator: Emulator,
  ) => { harness: Harness; ready: () => Promise<void>; after?: () => void; requests: number }
}

const publicCredential = (shell: Shell, emulator: Emulator, source: EnvironmentName) =>
  credentialFor(shell, { ...credentialTarget(emulator, source), ...tuning })

const cases: ReadonlyArray<LateCase> = [
  {
    name: 'the only waiter aborts before its request leaves; a caller without a signal joins in the same tick',
    source: 'AppService',
    arrange: (shell, emulator) => ({
      harness: publicCredential(shell, emulator, 'AppService'),
      ready: async () => undefined,
      requests: 1,
    }),
  },
  {
    name: 'the only waiter aborts while its request hangs; a caller without a signal joins in the same tick',
    source: 'AppService',
    arrange: (shell, emulator) => {
      emulator.script('AppService', [{ hang: true }])
      return {
        harness: publicCredential(shell, emulator, 'AppService'),
        ready: () => waitUntil(() => emulator.requests.length > 0),
        requests: 2,
      }
    },
  },
  {
    name: 'the only waiter aborts while its run sits in a slow file read; a caller without a signal joins in the same tick',
    source: 'WorkloadIdentity',
    arrange: (shell, emulator) => {
      let slow: ReturnType<typeof slowFirstRead> | undefined
      const harness = baseCredentialWith(
        shell,
        { ...credentialTarget(emulator, 'WorkloadIdentity'), ...tuning },
        (real) => {
          slow = slowFirstRead(real)
          return { readFile: slow.readFile }
        },
      )
      return {
        harness,
        ready: async () => slow?.started,
        after: () => slow?.release(),
        requests: 1,
      }
    },
  },
]

describe('class 4: a late caller after every waiter aborted', () => {
  for (const shell of shells)
    for (const each of cases)
      test.concurrent(`${shell}: ${each.name}`, async (context) => {
        const emulator = await emulatorForTest(context)
        const { harness, ready, after, requests } = each.arrange(shell, emulator)
        const controller = new AbortController()
        const first = settle(() => harness.credential.getToken(SCOPE, { abortSignal: controller.signal }))
        await ready()
        // the same tick: the abort, then the late caller
        controller.abort()
        const late = settle(() => harness.credential.getToken(SCOPE))
        const [earlier, later] = [await first, await late]
        after?.()
        harness.close()
        const describe = `first: ${describeOutcome(earlier.outcome)}; late caller: ${describeOutcome(later.outcome)}`
        report.record({
          group: report.group,
          case: `class 4: ${each.name}`,
          shell,
          source: each.source,
          expected: 'first: failed/aborted; late caller: token',
          actual: describe,
          budgetMs: tuning.deadlineMs,
          elapsedMs: later.elapsedMs,
          requests: emulator.requests.length,
          test: context.task.fullName,
        })
        expect(describe).toBe('first: failed/aborted; late caller: token')
        expect(earlier.outcome.kind === 'error' && earlier.outcome.name).toBe('AbortError')
        // the late caller's token came from a request of its own
        expect(emulator.requests).toHaveLength(requests)
      })
})
