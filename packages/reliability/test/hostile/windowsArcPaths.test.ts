/**
 * Class 12: on Windows, a realm naming an NTFS alternate stream (`foo:bar.key`) or a reserved
 * device (`CON.key`, `NUL.key`, `COM1.key`, ... in any case, whatever follows the first dot,
 * with trailing dots or spaces) is refused under the `name` rule before the file system is
 * touched (docs/protocol.md §2.4). Before the fix both passed the path rule.
 *
 * Twice: through the core's path rule with a Windows platform fact, and over real sockets
 * through both shells told they run on Windows, the emulated Arc agent naming such a file in
 * its challenge. Neither needs root or Windows: the rule refuses before any read, which a
 * reader standing in for the shell's proves by counting (the one accepted name shows that it
 * would have been read).
 */
import { type Capabilities, fileFailure, type Platform, validateKeyPath } from '@azmi/core'
import { emulatorForTest, watchUnhandledRejections } from '@azmi/test-support'
import * as E from 'fp-ts/lib/Either.js'
import { describe, expect, test } from 'vitest'
import { SCOPE } from '../support/environments.js'
import { CLASS_GROUPS } from '../support/hostileClasses.js'
import { describeOutcome, failed, settle } from '../support/settle.js'
import {
  baseCredentialWith,
  credentialFor,
  type HarnessOptions,
  type Shell,
  shells,
} from '../support/shells.js'
import { reportGroup } from '../support/verdict.js'

watchUnhandledRejections()
const report = reportGroup('class-12-windows-arc', CLASS_GROUPS[12])

const WINDOWS: Platform = { os: 'win32', programData: 'C:\\ProgramData' }
const KEY_DIRECTORY = 'C:\\ProgramData\\AzureConnectedMachineAgent\\Tokens'

/** Names the `name` rule refuses: streams and devices, in the spellings Windows still opens them by. */
const REFUSED = [
  'foo:bar.key',
  'agent.key:secret',
  'CON.key',
  'NUL.key',
  'COM1.key',
  'nul.key',
  'Aux.key',
  'PRN.key',
  'LPT9.key',
  'COM¹.key',
  'CONIN$.key',
  'CON.txt.key',
  'NUL .key',
  'con..key',
]
/** Names that only look like devices, and the agent's own kind of name: accepted by the path rule. */
const ACCEPTED = ['0d0e31b6b9191eb919ec8c80b86bddf4.key', 'CONSOLE.key', 'COM10.key', 'NULL.key', 'icon.key']

const ruleOf = (path: string): string => {
  const checked = validateKeyPath(path, WINDOWS)
  return E.isLeft(checked) ? `refused (${checked.left.rule})` : 'accepted'
}

describe('class 12: the core path rule on Windows', () => {
  test('streams and reserved device names are refused under "name"; look-alikes are not', (context) => {
    const outcomes = [...REFUSED, ...ACCEPTED].map((name) => ({
      name,
      rule: ruleOf(`${KEY_DIRECTORY}\\${name}`),
    }))
    for (const { name, rule } of outcomes)
      report.record({
        group: report.group,
        case: `class 12, core path rule (win32): ${name}`,
        shell: 'both',
        source: 'AzureArc',
        expected: REFUSED.includes(name) ? 'refused (name)' : 'accepted',
        actual: rule,
        test: context.task.fullName,
      })
    expect(outcomes).toEqual([
      ...REFUSED.map((name) => ({ name, rule: 'refused (name)' })),
      ...ACCEPTED.map((name) => ({ name, rule: 'accepted' })),
    ])
  })
})

/** A reader that reads nothing: it counts the reads and says the file is not there. */
const countingReader = () => {
  const paths: string[] = []
  const readFile: NonNullable<Capabilities['readFile']> = async (path) => {
    paths.push(path)
    return E.left(fileFailure('not-found', 'no such file on this Linux machine'))
  }
  return { readFile, paths }
}

/** The shell's credential on a Windows host, reading through `readFile`. */
const onWindows = (shell: Shell, options: HarnessOptions, readFile: NonNullable<Capabilities['readFile']>) =>
  shell === 'fetch-io'
    ? credentialFor(shell, { ...options, platform: WINDOWS, host: { readFile } })
    : baseCredentialWith(shell, { ...options, platform: WINDOWS }, () => ({ readFile }))

const SOCKET_CASES = [
  ...['foo:bar.key', 'CON.key', 'NUL.key', 'COM1.key', 'lpt1.txt.key'].map((name) => ({
    name,
    rule: 'name',
    reads: 0,
  })),
  // the control: a name the rule accepts is read (and is missing here)
  { name: 'agent.key', rule: 'unreadable', reads: 1 },
]

describe('class 12: a Windows realm over real sockets', () => {
  for (const shell of shells)
    for (const each of SOCKET_CASES)
      test.concurrent(`${shell}: ${each.name}`, async (context) => {
        const emulator = await emulatorForTest(context)
        emulator.script('AzureArc', [{ arcRealm: `${KEY_DIRECTORY}\\${each.name}` }])
        const reader = countingReader()
        const options = { env: emulator.env('AzureArc'), timeoutMs: 2_000, deadlineMs: 5_000 }
        const harness = onWindows(shell, options, reader.readFile)
        const settled = await settle(() => harness.credential.getToken(SCOPE))
        harness.close()
        const rule =
          settled.outcome.kind === 'error' ? (settled.outcome.details as { rule?: string }).rule : undefined
        report.record({
          group: report.group,
          case: `class 12, win32 host over real sockets: realm ${KEY_DIRECTORY}\\${each.name}`,
          shell,
          source: 'AzureArc',
          expected: `${describeOutcome(failed('arc_key_file'))} (${each.rule}), ${each.reads} reads`,
          actual: `${describeOutcome(settled.outcome)}${rule === undefined ? '' : ` (${rule})`}, ${reader.paths.length} reads`,
          budgetMs: options.deadlineMs,
          elapsedMs: settled.elapsedMs,
          requests: emulator.requests.length,
          test: context.task.fullName,
        })
        expect(settled.outcome).toMatchObject({
          kind: 'error',
          code: 'arc_key_file',
          details: { rule: each.rule },
        })
        expect(reader.paths).toHaveLength(each.reads)
        // only the challenge went out: no key was sent
        expect(emulator.requests).toHaveLength(1)
      })
})
