/**
 * After getting tokens, timing out and aborting, a process exits on its own once the emulator
 * is closed: the credential leaves no timer, socket or listener behind. The child never calls
 * `process.exit`; if something held its event loop it would not exit, and it is killed and
 * reported as stuck. The wait before that is a limit on a hang, not an assertion on speed.
 */
import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { describe, expect, test } from 'vitest'
import { usesRealArcKeyDirectory } from './support/emulatorSession.js'

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url))
const CHILD = fileURLToPath(new URL('./fixtures/tokensThenExit.ts', import.meta.url))
const STUCK_AFTER_MS = 25_000

interface ChildResult {
  readonly exit: 'exited' | 'stuck'
  readonly code: number | null
  readonly stdout: string
  readonly stderr: string
}

const runChild = (): Promise<ChildResult> =>
  new Promise((resolve) => {
    const child = spawn(process.execPath, ['--conditions=azmi-source', '--import', 'tsx', CHILD], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString()
    })
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString()
    })
    const stuck = setTimeout(() => {
      child.kill('SIGKILL')
      resolve({ exit: 'stuck', code: null, stdout, stderr })
    }, STUCK_AFTER_MS)
    child.on('close', (code) => {
      clearTimeout(stuck)
      resolve({ exit: 'exited', code, stdout, stderr })
    })
  })

describe('process exit', () => {
  test('a process that used the credential against every environment exits on its own with code 0', async () => {
    const result = await runChild()
    expect(result).toMatchObject({ exit: 'exited', code: 0, stderr: '' })
    expect(JSON.parse(result.stdout)).toEqual({
      tokens: {
        AppService: true,
        ServiceFabric: true,
        WorkloadIdentity: true,
        AzureML: true,
        CloudShell: true,
        Imds: true,
        ...(usesRealArcKeyDirectory && { AzureArc: true }),
      },
      timedOut: 'timeout',
      aborted: 'aborted',
    })
  }, 30_000)
})
