/**
 * Hostile Azure Arc challenges. Whatever answers at `IDENTITY_ENDPOINT` names the file whose
 * contents the client sends back; a hostile endpoint must not be able to make it read, or
 * send, anything but a key file in the agent's own directory. For each realm below the
 * credential refuses before reading: the emulator gets exactly the one challenge request, and
 * a marker planted in the file the realm points at never reaches it.
 *
 * Links, FIFOs, directories and oversized files must sit in the real key directory (the path
 * rules would refuse them anywhere else first), which only root can write: those cases need
 * Linux as root (the emulator then uses `/var/opt/azcmagent/tokens` too).
 */
import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type ArcKeyRule, LINUX_KEY_DIRECTORY } from '@azmi/core'
import { emulatorForTest, isLinuxRoot, watchUnhandledRejections } from '@azmi/test-support'
import { afterAll, describe, expect, test } from 'vitest'
import { SCOPE } from '../support/environments.js'
import { newMarker, wireText } from '../support/marker.js'
import { describeOutcome, type Expected, failed, settle } from '../support/settle.js'
import { credentialFor, shells } from '../support/shells.js'
import { classOfFamily, reportGroup } from '../support/verdict.js'

watchUnhandledRejections()
const { group, record } = reportGroup('hostile-arc', 'Hostile input: Azure Arc realms')

const MARKER = newMarker()
/** A file outside the key directory holding the marker, as a hostile realm would target. */
const outside = mkdtempSync(join(tmpdir(), 'azmi-reliability-'))
const OUTSIDE_KEY = join(outside, 'stolen.key')
writeFileSync(OUTSIDE_KEY, MARKER)

/** Entries this file creates in the real key directory, removed at the end. */
const planted: string[] = []
afterAll(() => {
  for (const path of planted) rmSync(path, { recursive: true, force: true })
  rmSync(outside, { recursive: true, force: true })
})
let counter = 0
/** A fresh name in the real key directory (nothing is created). */
const inKeyDirectory = (name: string) => {
  counter += 1
  const path = join(LINUX_KEY_DIRECTORY, `azmi-reliability-${process.pid}-${counter}-${name}`)
  planted.push(path)
  return path
}

interface RealmCase {
  readonly name: string
  /** Creates whatever the realm points at and returns the realm. */
  readonly realm: () => string
  /** Needs to write into the real key directory. */
  readonly root: boolean
  readonly expected: Expected
  readonly rule?: ArcKeyRule
}

const keyFileRefused = (name: string, rule: ArcKeyRule, root: boolean, realm: () => string): RealmCase => ({
  name,
  realm,
  root,
  expected: failed('arc_key_file'),
  rule,
})
const challengeRefused = (name: string, root: boolean, realm: () => string): RealmCase => ({
  name,
  realm,
  root,
  expected: failed('arc_challenge'),
})

const cases: ReadonlyArray<RealmCase> = [
  keyFileRefused('a file outside the key directory', 'directory', false, () => OUTSIDE_KEY),
  keyFileRefused(
    '".." segments',
    'traversal',
    false,
    () => `${LINUX_KEY_DIRECTORY}/../../../..${OUTSIDE_KEY}`,
  ),
  keyFileRefused('a symbolic link to a file elsewhere', 'not-regular-file', true, () => {
    const path = inKeyDirectory('link.key')
    symlinkSync(OUTSIDE_KEY, path)
    return path
  }),
  keyFileRefused('a directory', 'not-regular-file', true, () => {
    const path = inKeyDirectory('directory.key')
    mkdirSync(path)
    writeFileSync(join(path, 'inside'), MARKER)
    return path
  }),
  keyFileRefused('a FIFO (would block a reader)', 'not-regular-file', true, () => {
    const path = inKeyDirectory('fifo.key')
    execFileSync('mkfifo', ['-m', '600', path])
    return path
  }),
  keyFileRefused('an oversized file (4097 bytes)', 'too-large', true, () => {
    const path = inKeyDirectory('large.key')
    writeFileSync(path, MARKER.padEnd(4097, 'x'), { mode: 0o600 })
    return path
  }),
  keyFileRefused('a missing file', 'unreadable', false, () => inKeyDirectory('missing.key')),
  keyFileRefused('a name without ".key"', 'extension', true, () => {
    const path = inKeyDirectory('secret.txt')
    writeFileSync(path, MARKER, { mode: 0o600 })
    return path
  }),
  challengeRefused('an empty realm', false, () => ''),
  challengeRefused('a realm containing "="', true, () => {
    const path = inKeyDirectory('a=b.key')
    writeFileSync(path, MARKER, { mode: 0o600 })
    return path
  }),
  challengeRefused('a quoted realm', true, () => {
    const path = inKeyDirectory('quoted.key')
    writeFileSync(path, MARKER, { mode: 0o600 })
    return `"${path}"`
  }),
]

describe.skipIf(process.platform !== 'linux')('Azure Arc challenge realms', () => {
  for (const realmCase of cases) {
    for (const shell of shells) {
      const run = realmCase.root && !isLinuxRoot ? test.skip : test.concurrent
      run(`${realmCase.name} (${shell})`, async (context) => {
        const emulator = await emulatorForTest(context)
        const realm = realmCase.realm()
        emulator.script('AzureArc', [{ arcRealm: realm }])
        const { credential, events } = credentialFor(shell, {
          env: emulator.env('AzureArc'),
          timeoutMs: 2_000,
          deadlineMs: 5_000,
        })
        const settled = await settle(() => credential.getToken(SCOPE))
        record({
          group,
          case: realmCase.name,
          shell,
          source: 'AzureArc',
          expected: `${describeOutcome(realmCase.expected)}${realmCase.rule === undefined ? '' : ` (${realmCase.rule})`}`,
          actual: `${describeOutcome(settled.outcome)}${settled.outcome.kind === 'error' && settled.outcome.details._tag === 'ArcKeyFile' ? ` (${settled.outcome.details.rule})` : ''}`,
          budgetMs: 5_000,
          elapsedMs: settled.elapsedMs,
          requests: emulator.requests.length,
          test: context.task.fullName,
        })

        expect(describeOutcome(settled.outcome)).toBe(describeOutcome(realmCase.expected))
        if (settled.outcome.kind === 'error') {
          expect(settled.outcome.name).toBe(classOfFamily[settled.outcome.family])
          if (realmCase.rule !== undefined)
            expect(settled.outcome.details).toMatchObject({ rule: realmCase.rule })
        }
        // only the challenge request was ever sent, and the marker went nowhere
        expect(emulator.requests).toHaveLength(1)
        expect(emulator.requests[0]?.headers.authorization).toBeUndefined()
        expect(wireText(emulator.requests)).not.toContain(MARKER)
        expect(JSON.stringify(events)).not.toContain(MARKER)
      })
    }
  }
})
