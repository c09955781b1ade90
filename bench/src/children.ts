/**
 * Running a measurement in a fresh Node process, with nothing in its environment but `PATH`,
 * `HOME` and the hosting environment's variables (so no stray `AZURE_*` or `NODE_OPTIONS` of
 * the shell that started the bench reaches a subject).
 */
import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'

export interface ChildRun {
  /** The last line the child printed. */
  readonly line: string
  /** From spawn to exit, as seen by the parent. */
  readonly wallMs: number
}

/** A file next to this one in `dist/`. */
export const distFile = (name: string): string => fileURLToPath(new URL(name, import.meta.url))

const cleanEnv = (variables: Readonly<Record<string, string>>): Record<string, string> => ({
  ...(process.env.PATH === undefined ? {} : { PATH: process.env.PATH }),
  ...(process.env.HOME === undefined ? {} : { HOME: process.env.HOME }),
  ...variables,
})

/** Run `node [flags] script [args]`; rejects if it fails or prints nothing. */
export const runNode = (
  script: string,
  args: ReadonlyArray<string>,
  variables: Readonly<Record<string, string>>,
  flags: ReadonlyArray<string> = [],
  timeoutMs = 120_000,
): Promise<ChildRun> =>
  new Promise((resolve, reject) => {
    const start = performance.now()
    const child = spawn(process.execPath, [...flags, script, ...args], {
      env: cleanEnv(variables),
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk
    })
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk
    })
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs)
    child.on('error', reject)
    child.on('close', (code, signal) => {
      clearTimeout(timer)
      const wallMs = performance.now() - start
      const line = stdout.trim().split('\n').at(-1) ?? ''
      if (code === 0 && line !== '') resolve({ line, wallMs })
      else reject(new Error(`${script} ${args.join(' ')} exited ${code ?? signal}: ${stderr.slice(-2000)}`))
    })
  })
