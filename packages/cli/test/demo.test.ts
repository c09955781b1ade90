/**
 * The demo end to end: it starts its own emulator and gets a token from each of the seven
 * hosting environments. Azure Arc only works with the real key directory (root on Linux, as
 * CI runs); elsewhere the credential rightly refuses the emulator's temporary directory, and
 * that row, and only that row, fails.
 */

import { SOURCE_NAMES } from '@azmi/core'
import { describe, expect, test } from 'vitest'
import { runDemo } from '../src/demo.js'

/** Every hosting environment, in precedence order. */
const SOURCES = SOURCE_NAMES
const usesRealArcKeyDirectory = process.platform === 'linux' && process.getuid?.() === 0

describe('the demo', () => {
  test('gets a token from all seven environments', async () => {
    const written: string[] = []
    const exitCode = await runDemo((text) => written.push(text))
    const output = written.join('')
    for (const source of SOURCES) expect(output).toMatch(new RegExp(`^${source} `, 'm'))
    const failedRows = output.split('\n').filter((line) => / FAILED /.test(line))
    if (usesRealArcKeyDirectory) {
      expect(failedRows).toEqual([])
      expect(output).toContain('10 of 10 tokens obtained from 7 environments.')
      expect(exitCode).toBe(0)
    } else {
      expect(failedRows.map((line) => line.split(' ')[0])).toEqual(['AzureArc'])
      expect(exitCode).toBe(1)
    }
  })
})
