/**
 * One fault, tried against one source through one shell: script the emulator, call
 * `getToken` once, record what happened, then check it. Shared by the fault test files.
 */
import type { ManagedIdentityOptions } from '@azmi/core'
import type { EnvironmentName, Fault } from '@azmi/emulator'
import {
  closedPort,
  emulatorForTest,
  requestsTo,
  type TestScope,
  type VirtualClock,
} from '@azmi/test-support'
import { describe, expect, test } from 'vitest'
import { credentialTarget, SCOPE, shellSourcePairs, withPort } from './environments.js'
import type { CaseRecord } from './record.js'
import { type Expected, type Settled, settle } from './settle.js'
import { baseCredentialFor, credentialFor, type Harness, type Shell, shells } from './shells.js'
import { recordAndExpect } from './verdict.js'

/** Timeouts and retries of a case: small, so a case settles quickly, and always a deadline. */
export type Tuning = Pick<ManagedIdentityOptions, 'timeoutMs' | 'retry'> & { readonly deadlineMs: number }

export interface FaultCase {
  readonly name: string
  readonly tuning: Tuning
  /** Credential time that moves only when it sleeps (default: the shell's real clock). */
  readonly clock?: () => VirtualClock
  /** What the emulator does to this source's token requests. */
  readonly faults: (source: EnvironmentName, clock: VirtualClock | undefined) => ReadonlyArray<Fault>
  /** Point the credential at a port where nothing listens instead of the emulator. */
  readonly refused?: boolean
  readonly expected: (source: EnvironmentName, shell: Shell) => Expected
  /** Requests the credential sends (its `request-sent` events). */
  readonly attempts: (source: EnvironmentName) => number
  /** Extra checks on the outcome. */
  readonly check?: (settled: Settled, harness: Harness, clock: VirtualClock | undefined) => void
}

/** Arc's token comes from the second, keyed request: pass the challenge, fault the reply. */
export const onTokenReply =
  (...faults: ReadonlyArray<Fault>) =>
  (source: EnvironmentName): ReadonlyArray<Fault> =>
    source === 'AzureArc' ? [{ delayMs: 0 }, ...faults] : faults

/** Arc's first request is its challenge; `attempts` more on any other source's single request. */
export const withArcChallenge = (attempts: number) => (source: EnvironmentName) =>
  source === 'AzureArc' ? attempts + 1 : attempts

export const runFaultCase = async (
  test: TestScope & { readonly task: { readonly fullName: string } },
  record: (record: CaseRecord) => void,
  group: string,
  faultCase: FaultCase,
  shell: Shell,
  source: EnvironmentName,
): Promise<void> => {
  const emulator = await emulatorForTest(test)
  const target = credentialTarget(emulator, source)
  const env = faultCase.refused === true ? withPort(target.env, await closedPort()) : target.env
  const clock = faultCase.clock?.()
  emulator.script(source, faultCase.faults(source, clock))
  const options = { ...target, env, ...faultCase.tuning }
  const harness =
    clock === undefined
      ? credentialFor(shell, options)
      : baseCredentialFor(shell, options, clock.capabilities)
  const settled = await settle(() => harness.credential.getToken(SCOPE))
  const expected = faultCase.expected(source, shell)
  const sent = harness.events.filter((event) => event.event === 'request-sent')
  const requests = requestsTo(emulator, source).length
  recordAndExpect(
    record,
    {
      group,
      case: faultCase.name,
      shell,
      source,
      budgetMs: faultCase.tuning.deadlineMs,
      requests,
      test: test.task.fullName,
    },
    settled,
    expected,
  )
  if (settled.outcome.kind === 'error') expect(settled.outcome.details.source).toBe(source)
  expect(sent).toHaveLength(faultCase.attempts(source))
  // The transport sent each attempt once: no hidden resend, no request to a refused port.
  expect(requests).toBe(faultCase.refused === true ? 0 : faultCase.attempts(source))
  // Bounded by construction: no attempt may run longer than the credential's own limits.
  for (const event of sent) {
    expect(event.timeoutMs).toBeLessThanOrEqual(faultCase.tuning.timeoutMs ?? faultCase.tuning.deadlineMs)
    expect(event.timeoutMs).toBeLessThanOrEqual(faultCase.tuning.deadlineMs)
  }
  faultCase.check?.(settled, harness, clock)
}

/** One `describe` per case, one concurrent test per shell and source (each with its own emulator). */
export const faultMatrix = (
  group: string,
  record: (record: CaseRecord) => void,
  cases: ReadonlyArray<FaultCase>,
): void => {
  for (const faultCase of cases) {
    describe(faultCase.name, () => {
      for (const { shell, source } of shellSourcePairs(shells)) {
        test.concurrent(`${shell}, ${source}`, async (context) => {
          await runFaultCase(context, record, group, faultCase, shell, source)
        })
      }
    })
  }
}
