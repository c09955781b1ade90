/**
 * Class 5: every file read runs under the call's deadline and abort (docs/protocol.md §2.4
 * step 3, §1.5). A `readFile` that never settles (the federated token file of workload
 * identity, the Arc key named by a challenge) must end the call with `timeout` at its
 * deadline, or `aborted` when the caller gives up; before the fix it hung `getToken` forever.
 * fetch-io takes the reader through its public `readFile` option; node-io's constructor has
 * none, so its capabilities are used with the reader replaced. Both over real sockets.
 *
 * On Linux as root, Deno's own reader meets a real FIFO in the Arc key directory: as shipped
 * (`lstat` refuses it before the read), and past the checks (a key swapped for a FIFO after
 * `lstat`), where `Deno.readFile` never completes and only the deadline ends the call.
 */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { type Capabilities, LINUX_KEY_DIRECTORY } from '@azmi/core'
import type { Emulator, EnvironmentName } from '@azmi/emulator'
import {
  bundleToFile,
  denoExecutable,
  emulatorForTest,
  isLinuxRoot,
  runProcess,
  waitUntil,
  watchUnhandledRejections,
} from '@azmi/test-support'
import { afterAll, describe, expect, test } from 'vitest'
import type { FifoOutcome } from '../fixtures/denoFifoRunner.js'
import { credentialTarget, SCOPE } from '../support/environments.js'
import { CLASS_GROUPS } from '../support/hostileClasses.js'
import { type Expected, failed, settle } from '../support/settle.js'
import { baseCredentialWith, credentialFor, type Harness, type Shell, shells } from '../support/shells.js'
import { reportGroup } from '../support/verdict.js'

watchUnhandledRejections()
const report = reportGroup('class-05-read-deadline', CLASS_GROUPS[5])
const tuning = { timeoutMs: 5_000, deadlineMs: 1_000, retry: { maxRetries: 0 } }
const scratch = mkdtempSync(join(tmpdir(), 'azmi-reliability-reads-'))
const planted: string[] = []
afterAll(() => {
  for (const path of planted) rmSync(path, { force: true })
  rmSync(scratch, { recursive: true, force: true })
})

/** A reader that never settles, and how many reads it was asked for. */
const neverSettling = () => {
  let reads = 0
  const readFile: NonNullable<Capabilities['readFile']> = () => {
    reads += 1
    return new Promise(() => undefined)
  }
  return { readFile, reads: () => reads }
}

/** The shell's credential reading through `readFile`: fetch-io's public option, node-io's capabilities. */
const withReader = (
  shell: Shell,
  emulator: Emulator,
  source: EnvironmentName,
  readFile: NonNullable<Capabilities['readFile']>,
): Harness => {
  const options = { ...credentialTarget(emulator, source), ...tuning }
  return shell === 'fetch-io'
    ? credentialFor(shell, { ...options, host: { readFile } })
    : baseCredentialWith(shell, options, () => ({ readFile }))
}

/** A key the path rule accepts: the read itself is what never ends. */
const ARC_KEY = `${LINUX_KEY_DIRECTORY}/azmi-reliability-never-read.key`

const readCases: ReadonlyArray<{
  name: string
  source: EnvironmentName
  abort: boolean
  expected: Expected
}> = [
  {
    name: 'the federated token read never settles',
    source: 'WorkloadIdentity',
    abort: false,
    expected: failed('timeout'),
  },
  { name: 'the Arc key read never settles', source: 'AzureArc', abort: false, expected: failed('timeout') },
  {
    name: 'the federated token read never settles, and the caller aborts',
    source: 'WorkloadIdentity',
    abort: true,
    expected: failed('aborted'),
  },
]

describe('class 5: a file read that never settles', () => {
  for (const shell of shells)
    for (const each of readCases)
      test.concurrent(`${shell}: ${each.name}`, async (context) => {
        const emulator = await emulatorForTest(context)
        if (each.source === 'AzureArc') emulator.script('AzureArc', [{ arcRealm: ARC_KEY }])
        const reader = neverSettling()
        const harness = withReader(shell, emulator, each.source, reader.readFile)
        const controller = new AbortController()
        const call = settle(() => harness.credential.getToken(SCOPE, { abortSignal: controller.signal }))
        if (each.abort) await waitUntil(() => reader.reads() > 0).then(() => controller.abort())
        const settled = await call
        harness.close()
        report.record({
          group: report.group,
          case: `class 5: ${each.name} (${shell === 'fetch-io' ? 'the readFile option' : "node-io's capabilities, reader replaced"})`,
          shell,
          source: each.source,
          expected: `failed/${each.expected.kind === 'error' ? each.expected.code : 'token'}`,
          actual:
            settled.outcome.kind === 'error'
              ? `${settled.outcome.family}/${settled.outcome.code}`
              : settled.outcome.kind,
          budgetMs: tuning.deadlineMs,
          elapsedMs: settled.elapsedMs,
          requests: emulator.requests.length,
          test: context.task.fullName,
        })
        expect(settled.outcome).toMatchObject(
          each.expected.kind === 'error' ? { code: each.expected.code } : {},
        )
        expect(settled.outcome.kind === 'error' && settled.outcome.name).toBe(
          each.abort ? 'AbortError' : 'AuthenticationError',
        )
        expect(reader.reads()).toBe(1)
      })
})

const DENO_RUNNER = fileURLToPath(new URL('../fixtures/denoFifoRunner.ts', import.meta.url))
/** Not a timing verdict: how long Deno may run before it counts as stuck. */
const STUCK_AFTER_MS = 60_000

const expectedOfDeno: Readonly<Record<string, string>> = {
  denoReadFile: 'arc_key_file (not-regular-file)',
  'swapped after the checks': 'timeout',
}

describe.skipIf(!isLinuxRoot)("class 5: Deno's reader and a FIFO in the Arc key directory", () => {
  test(
    'denoReadFile refuses the FIFO; a FIFO swapped in after the checks ends at the deadline',
    async (context) => {
      const emulator = await emulatorForTest(context)
      const fifo = join(LINUX_KEY_DIRECTORY, `azmi-reliability-${process.pid}-deno-fifo.key`)
      planted.push(fifo)
      execFileSync('mkfifo', ['-m', '600', fifo])
      emulator.script('AzureArc', [{ arcRealm: fifo }, { arcRealm: fifo }])
      await bundleToFile(DENO_RUNNER, join(scratch, 'runner.mjs'))
      const script = join(scratch, 'main.mjs')
      writeFileSync(
        script,
        `import { runFifoScenarios } from './runner.mjs'
        console.log(JSON.stringify(await runFifoScenarios(${JSON.stringify(emulator.env('AzureArc'))}, ${tuning.deadlineMs})))
        Deno.exit(0)`,
      )
      const permissions = ['--allow-net=127.0.0.1', `--allow-read=${LINUX_KEY_DIRECTORY}`]
      const child = await runProcess(
        denoExecutable(),
        ['run', '--no-prompt', '--no-config', ...permissions, script],
        {
          env: { ...process.env, NO_COLOR: '1', DENO_NO_UPDATE_CHECK: '1' },
          stuckAfterMs: STUCK_AFTER_MS,
        },
      )
      const outcomes = (child.code === 0 ? JSON.parse(child.stdout) : []) as FifoOutcome[]
      for (const outcome of outcomes)
        report.record({
          group: report.group,
          case: `class 5, Deno: the Arc key is a FIFO, ${outcome.name}`,
          shell: 'fetch-io',
          source: 'AzureArc',
          expected: expectedOfDeno[outcome.name] ?? '?',
          actual: outcome.rule === undefined ? String(outcome.code) : `${outcome.code} (${outcome.rule})`,
          budgetMs: tuning.deadlineMs,
          elapsedMs: outcome.elapsedMs,
          test: context.task.fullName,
        })
      expect({ code: child.code, stderr: child.stderr }).toEqual({ code: 0, stderr: '' })
      expect(outcomes.map((outcome) => outcome.name)).toEqual(Object.keys(expectedOfDeno))
      for (const outcome of outcomes)
        expect(outcome.rule === undefined ? outcome.code : `${outcome.code} (${outcome.rule})`).toBe(
          expectedOfDeno[outcome.name],
        )
    },
    STUCK_AFTER_MS + 10_000,
  )
})
