/**
 * What the real `azmi token` prints when an endpoint is hostile, run in a process of its own
 * (the `azmi` entry point over tsx, node-io underneath) against the emulator:
 *
 * - class 7: a token reply with an absurd `expires_on` is an `invalid_response` error, never a
 *   printed token whose expiry reads "Invalid time value";
 * - class 10: an error description full of ANSI and OSC escape sequences is printed with every
 *   control character escaped (`packages/cli/test/terminalEscapes.test.ts` has the details).
 */
import { emulatorForTest, runTypeScript, watchUnhandledRejections } from '@azmi/test-support'
import { describe, expect, test } from 'vitest'
import { SCOPE } from '../support/environments.js'
import { CLASS_GROUPS } from '../support/hostileClasses.js'
import { reportGroup } from '../support/verdict.js'

watchUnhandledRejections()
const expiries = reportGroup('class-07-cli', CLASS_GROUPS[7])
const terminal = reportGroup('class-10-cli', CLASS_GROUPS[10])
const MAIN = 'packages/cli/src/main.ts'
/** Not a timing verdict: how long the command may run before it counts as stuck. */
const STUCK_AFTER_MS = 30_000

/** `azmi token` against App Service, which answers `fault` first. */
const azmiToken = async (context: Parameters<typeof emulatorForTest>[0], status: number, body: string) => {
  const emulator = await emulatorForTest(context)
  emulator.script('AppService', [{ status, body }])
  const env = { ...emulator.env('AppService'), PATH: process.env.PATH }
  const child = await runTypeScript(MAIN, ['token', '--scope', SCOPE], { env, stuckAfterMs: STUCK_AFTER_MS })
  return { child, printed: `${child.stdout}${child.stderr}` }
}

/** The control characters (C0, DEL, C1) in `text` but line feeds. */
const rawControls = (text: string): ReadonlyArray<number> =>
  Array.from(text, (character) => character.charCodeAt(0)).filter(
    (code) => code !== 0x0a && (code < 0x20 || (code >= 0x7f && code <= 0x9f)),
  )

describe('class 7: azmi token and an absurd expiry', { timeout: STUCK_AFTER_MS + 10_000 }, () => {
  for (const [name, value] of [
    ['1e308', '1e308'],
    ['1e13', '1e13'],
    ['400 digits', '9'.repeat(400)],
  ] as const)
    test.concurrent(
      `expires_on ${name}: an invalid_response error, never "Invalid time value"`,
      async (context) => {
        const { child, printed } = await azmiToken(
          context,
          200,
          `{"access_token":"opaque","expires_on":${value}}`,
        )
        const outcome = `exit ${child.code ?? child.exit}: ${printed.includes('Invalid time value') ? '"Invalid time value"' : (printed.match(/^error \((\w+)\)/)?.[1] ?? printed.trim().slice(0, 60))}`
        expiries.record({
          group: expiries.group,
          case: `class 7: azmi token, expires_on ${name}`,
          shell: 'node-io',
          source: 'AppService',
          expected: 'exit 1: invalid_response',
          actual: outcome,
          test: context.task.fullName,
        })
        expect(outcome).toBe('exit 1: invalid_response')
      },
    )
})

describe(
  'class 10: azmi token and escape sequences in endpoint text',
  { timeout: STUCK_AFTER_MS + 10_000 },
  () => {
    test.concurrent('ANSI and OSC sequences in an error description are printed escaped', async (context) => {
      const hostile =
        '\u001b[31mred\u001b[0m \u001b]0;pwned\u0007 \u001b]8;;https://evil.example/\u001b\\x \u009b2J'
      const body = JSON.stringify({ error: 'bad_request', error_description: hostile })
      const { child, printed } = await azmiToken(context, 400, body)
      const raw = rawControls(printed)
      terminal.record({
        group: terminal.group,
        case: 'class 10: azmi token, an error description with SGR, OSC title, OSC 8 link and C1 CSI',
        shell: 'node-io',
        source: 'AppService',
        expected: 'exit 1, every control character escaped',
        actual: `exit ${child.code ?? child.exit}, ${raw.length === 0 ? 'every control character escaped' : `${raw.length} raw control characters`}`,
        test: context.task.fullName,
      })
      expect(raw).toEqual([])
      expect(child.code).toBe(1)
      expect(printed).toContain('\\u001b[31mred')
    })
  },
)
