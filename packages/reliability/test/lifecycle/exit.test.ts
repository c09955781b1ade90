/**
 * The process exits cleanly after faults: a representative batch runs in a child process
 * (`test/fixtures/faultBatch.ts`), which never calls `process.exit`. It must end on its own
 * with status 0, every case must end as expected, no rejection may go unhandled, and nothing
 * but stdio may still hold the event loop once the emulator is closed: no timer, no socket.
 */
import { fileURLToPath } from 'node:url'
import { runTypeScript, watchUnhandledRejections } from '@azmi/test-support'
import { describe, expect, test } from 'vitest'
import { reportGroup } from '../support/verdict.js'

watchUnhandledRejections()
const { group, record } = reportGroup('lifecycle', 'Clean exit (child process)')

const BATCH = fileURLToPath(new URL('../fixtures/faultBatch.ts', import.meta.url))
/** Not a timing verdict: only how long to wait before declaring the child stuck (and failing). */
const STUCK_AFTER_MS = 60_000
/** What may still be open when the child reports: its stdio. */
const STDIO = /^(TTYWrap|PipeWrap|FSReqCallback)$/

const describeExit = (
  exit: string,
  status: string,
  unhandled: number | string,
  left: ReadonlyArray<string>,
) =>
  `${exit} ${status}; ${unhandled} unhandled rejections; left holding the loop: ${left.length === 0 ? 'only stdio' : left.join(', ')}`

const runBatch = () => runTypeScript(BATCH, [], { stuckAfterMs: STUCK_AFTER_MS })

interface Report {
  readonly results: ReadonlyArray<{
    name: string
    shell: string
    source: string
    expected: string
    actual: string
  }>
  readonly unhandled: ReadonlyArray<string>
  readonly holdingTheLoop: ReadonlyArray<string>
}

describe('process lifecycle', () => {
  test(
    'a batch of faults through both shells, then the process exits 0 on its own',
    async (context) => {
      const child = await runBatch()
      const report = JSON.parse(child.stdout.trim().split('\n').at(-1) ?? '{}') as Partial<Report>
      const results = report.results ?? []
      for (const result of results) {
        record({
          group,
          case: result.name,
          shell: result.shell as 'node-io' | 'fetch-io',
          source: result.source,
          expected: result.expected,
          actual: result.actual,
          test: context.task.fullName,
        })
      }
      // stdio pipes may remain; a timer (`Timeout`) or a socket (`TCPSocketWrap`, `TCPServerWrap`) may not
      const leftBehind = (report.holdingTheLoop ?? []).filter((resource) => !STDIO.test(resource))
      record({
        group,
        case: 'the child process exits by itself (no process.exit)',
        shell: 'both',
        source: '-',
        expected: describeExit('exited', '0', 0, []),
        actual: describeExit(
          child.exit,
          String(child.code ?? child.signal),
          report.unhandled?.length ?? '?',
          leftBehind,
        ),
        test: context.task.fullName,
      })
      expect(child.stderr).toBe('')
      expect(child).toMatchObject({ exit: 'exited', code: 0 })
      expect(results.length).toBeGreaterThan(20)
      for (const result of results)
        expect(result.actual, `${result.shell}: ${result.name}`).toBe(result.expected)
      expect(report.unhandled).toEqual([])
      expect(leftBehind).toEqual([])
    },
    STUCK_AFTER_MS + 10_000,
  )
})
