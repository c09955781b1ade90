/**
 * After getting tokens, timing out and aborting, a process exits on its own once the emulator
 * is closed: the credential leaves no timer, socket or listener behind. The child never calls
 * `process.exit`; if something held its event loop it would not exit, and it is killed and
 * reported as stuck. The wait before that is a limit on a hang, not an assertion on speed.
 */
import { fileURLToPath } from 'node:url'
import { SOURCE_NAMES } from '@azmi/core'
import { isLinuxRoot, runTypeScript } from '@azmi/test-support'
import { describe, expect, test } from 'vitest'

const CHILD = fileURLToPath(new URL('./fixtures/tokensThenExit.ts', import.meta.url))
const STUCK_AFTER_MS = 25_000

const runTokensChild = () => runTypeScript(CHILD, [], { stuckAfterMs: STUCK_AFTER_MS })

/** The child gets a token from every environment (Arc only where its key directory is the real one). */
const everyEnvironment = Object.fromEntries(
  SOURCE_NAMES.filter((source) => isLinuxRoot || source !== 'AzureArc').map((source) => [source, true]),
)

describe('process exit', () => {
  test('a process that used the credential against every environment exits on its own with code 0', async () => {
    const result = await runTokensChild()
    expect(result).toMatchObject({ exit: 'exited', code: 0, stderr: '' })
    expect(JSON.parse(result.stdout)).toEqual({
      tokens: everyEnvironment,
      timedOut: 'timeout',
      aborted: 'aborted',
    })
  }, 30_000)
})
