/**
 * Endpoint text never reaches the terminal raw: an endpoint's error description can carry ANSI
 * and OSC escape sequences that would recolour, retitle or clear the user's terminal, or plant
 * a hyperlink in it. The real `azmi token` runs in a process of its own (the `azmi` entry point
 * over tsx), against the emulator answering with such a description; whatever it writes, on
 * stdout and stderr, in text and in `--json` mode, must hold no control character but the
 * final newline, and show each escape as `\u001b`-style text instead.
 */
import { emulatorPerFile, runTypeScript, SCOPE } from '@azmi/test-support'
import { describe, expect, test } from 'vitest'

const emulator = emulatorPerFile()
const MAIN = 'packages/cli/src/main.ts'
/** Not a timing verdict: how long the command may run before it counts as stuck. */
const STUCK_AFTER_MS = 30_000

/** The control characters (C0, DEL, C1) in `text` but line feeds, as code points: none may reach a terminal. */
const rawControls = (text: string): ReadonlyArray<number> =>
  Array.from(text, (character) => character.charCodeAt(0)).filter(
    (code) => code !== 0x0a && (code < 0x20 || (code >= 0x7f && code <= 0x9f)),
  )

/** What a hostile endpoint puts in its description. */
const SEQUENCES = {
  'SGR colour': '\u001b[31mred\u001b[0m',
  'OSC window title (BEL)': '\u001b]0;pwned\u0007',
  'OSC 8 hyperlink (ST)': '\u001b]8;;https://evil.example/\u001b\\click\u001b]8;;\u001b\\',
  'CSI clear screen': '\u001b[2J\u001b[H',
  'C1 CSI (8-bit)': '\u009b2J',
  'DEL and backspaces': '\u007f\b\b\b',
  'a line break to forge output': '\r\nsource:        AppService',
} as const

const description = `the endpoint says: ${Object.values(SEQUENCES).join(' | ')}`

/** `azmi token` in a process of its own, against App Service answering 400 with `description`. */
const azmiToken = async (extra: ReadonlyArray<string>) => {
  const emu = emulator()
  emu.script('AppService', [
    { status: 400, body: JSON.stringify({ error: 'bad_request\u001b[5m', error_description: description }) },
  ])
  const env = { ...emu.env('AppService'), PATH: process.env.PATH }
  return runTypeScript(MAIN, ['token', '--scope', SCOPE, ...extra], { env, stuckAfterMs: STUCK_AFTER_MS })
}

// the per-test limit only catches a command that hangs: a process start on a busy machine is slow
describe('azmi token prints endpoint text escaped', { timeout: STUCK_AFTER_MS + 10_000 }, () => {
  test('text mode: no raw control character, each one shown as \\u escapes', async () => {
    const child = await azmiToken([])
    expect(child).toMatchObject({ exit: 'exited', code: 1 })
    expect(child.stdout).toMatch(/^error \(http_error\): /)
    expect(rawControls(child.stdout)).toEqual([])
    expect(rawControls(child.stderr)).toEqual([])
    // one line: the forged line break is shown, not obeyed
    expect(child.stdout.trimEnd().split('\n')).toHaveLength(1)
    for (const shown of [
      '\\u001b[31mred',
      '\\u001b]0;pwned\\u0007',
      '\\u009b2J',
      '\\u007f',
      '\\u000d\\u000a',
    ])
      expect(child.stdout).toContain(shown)
  })

  test('--json mode: no raw control character, and the JSON still says what the endpoint said', async () => {
    const child = await azmiToken(['--json'])
    expect(child).toMatchObject({ exit: 'exited', code: 1 })
    expect(rawControls(child.stdout)).toEqual([])
    expect(rawControls(child.stderr)).toEqual([])
    const printed = JSON.parse(child.stdout) as { error: { code: string; message: string } }
    expect(printed.error.code).toBe('http_error')
    // escaped as JSON escapes, so a program reading the JSON gets the text back unchanged
    for (const sequence of Object.values(SEQUENCES)) expect(printed.error.message).toContain(sequence)
  })
})
