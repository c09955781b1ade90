/**
 * Programs run by tests in processes of their own: a TypeScript file of the workspace (through
 * the `azmi-source` condition and tsx, so no build is needed) or any executable, with their
 * output collected. Asynchronous on purpose: the servers a child talks to live in this
 * process, and a synchronous spawn would stop them from answering. The wait before a child is
 * declared stuck is a limit on a hang, not an assertion on speed.
 */
import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'

/** The repository root, the working directory of workspace scripts. */
export const WORKSPACE_ROOT = fileURLToPath(new URL('../../../', import.meta.url))

/** How a child ended. */
export interface ChildOutcome {
  /** `stuck`: still running after `stuckAfterMs`, and killed. */
  readonly exit: 'exited' | 'stuck'
  readonly code: number | null
  readonly signal: NodeJS.Signals | null
  readonly stdout: string
  readonly stderr: string
}

/** Options of {@link runProcess}. */
export interface ChildOptions {
  /** Kill the child (SIGKILL) when it is still running after this long; default 60 s. */
  readonly stuckAfterMs?: number
  /** The child's whole environment; default this process's. */
  readonly env?: Readonly<Record<string, string | undefined>>
  readonly cwd?: string
  /** Run as this user and group (this process must be root). */
  readonly uid?: number
  readonly gid?: number
}

/** Run `file` with `args` to its end (or until it is stuck), collecting what it writes. */
export const runProcess = (
  file: string,
  args: ReadonlyArray<string>,
  { stuckAfterMs = 60_000, ...spawnOptions }: ChildOptions = {},
): Promise<ChildOutcome> =>
  new Promise((resolve) => {
    const child = spawn(file, [...args], { ...spawnOptions, stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8')
    })
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8')
    })
    const stuck = setTimeout(() => {
      child.kill('SIGKILL')
      resolve({ exit: 'stuck', code: null, signal: 'SIGKILL', stdout, stderr })
    }, stuckAfterMs)
    child.once('error', (error) => {
      clearTimeout(stuck)
      resolve({ exit: 'exited', code: null, signal: null, stdout, stderr: `${stderr}${error.message}` })
    })
    child.once('close', (code, signal) => {
      clearTimeout(stuck)
      resolve({ exit: 'exited', code, signal, stdout, stderr })
    })
  })

/** Run a TypeScript file of the workspace in a fresh Node process, from the repository root. */
export const runTypeScript = (
  script: string,
  args: ReadonlyArray<string> = [],
  options: ChildOptions = {},
): Promise<ChildOutcome> =>
  runProcess(process.execPath, ['--conditions=azmi-source', '--import', 'tsx', script, ...args], {
    cwd: WORKSPACE_ROOT,
    ...options,
  })
