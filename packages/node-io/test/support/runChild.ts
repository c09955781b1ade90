/**
 * Run a TypeScript file in a fresh Node process (workspace sources through the `azmi-source`
 * condition) and report whether it exited on its own. The wait before declaring it stuck is a
 * limit on a hang, not an assertion on speed.
 */
import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url))

export interface ChildResult {
  readonly exit: 'exited' | 'stuck'
  readonly code: number | null
  readonly stdout: string
  readonly stderr: string
}

export const runChild = (
  script: string,
  args: ReadonlyArray<string>,
  stuckAfterMs: number,
): Promise<ChildResult> =>
  new Promise((resolve) => {
    const child = spawn(process.execPath, ['--conditions=azmi-source', '--import', 'tsx', script, ...args], {
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
    }, stuckAfterMs)
    child.on('close', (code) => {
      clearTimeout(stuck)
      resolve({ exit: 'exited', code, stdout, stderr })
    })
  })
