import { execFileSync } from 'node:child_process'
import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import { formatEnvironment } from '../src/index.js'

/** What a real `sh` makes of the output: each variable's value, read back NUL-separated. */
const evaluateInSh = (script: string, names: ReadonlyArray<string>): string[] => {
  const printAll = names.map((name) => `printf '%s\\0' "$${name}"`).join('\n')
  const output = execFileSync('sh', ['-c', `${script}\n${printAll}`], { encoding: 'utf8', env: {} })
  return output.split('\0').slice(0, -1)
}

describe('formatEnvironment', () => {
  test('writes one export line per variable, single-quoted', () => {
    expect(formatEnvironment({ A: 'x y', B: "it's $HOME `id`" }, 'sh')).toBe(
      "export A='x y'\nexport B='it'\\''s $HOME `id`'\n",
    )
    expect(formatEnvironment({}, 'sh')).toBe('')
  })

  test('sh reads back exactly the values given', () => {
    const name = fc
      .stringMatching(/^[A-Z_][A-Z0-9_]{0,8}$/)
      .filter((each) => !['PWD', 'OLDPWD', 'IFS', 'PS1', 'PS2', 'PS4', 'OPTIND', 'PPID'].includes(each))
    const value = fc.string({ unit: 'binary', maxLength: 30 }).filter((each) => !each.includes('\0'))
    fc.assert(
      fc.property(fc.dictionary(name, value, { minKeys: 1, maxKeys: 4 }), (env) => {
        const names = Object.keys(env)
        expect(evaluateInSh(formatEnvironment(env, 'sh'), names)).toEqual(names.map((each) => env[each]))
      }),
      { numRuns: 40 },
    )
  })

  test.each([
    ['a name with a dash', { 'NOT-OK': 'x' }],
    ['a name starting with a digit', { '1A': 'x' }],
    ['a value with NUL', { A: 'a\0b' }],
  ])('rejects %s', (_case, env) => {
    expect(() => formatEnvironment(env, 'sh')).toThrow(RangeError)
  })
})
