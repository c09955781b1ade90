/**
 * Child processes for the consumer test: run a command to its end with a time limit, and the
 * environments npm and a consumer's processes get.
 *
 * @module
 */
import { spawn } from 'node:child_process'

/** How a command ended and what it wrote. */
export interface CommandResult {
  readonly code: number | null
  readonly signal: NodeJS.Signals | null
  readonly stdout: string
  readonly stderr: string
}

/**
 * The environment npm runs in: this process's, less `npm_*` (pnpm passes its settings to
 * scripts as `npm_config_*`, which npm would obey) and `NODE_OPTIONS` (a loader such as tsx
 * must not reach the consumer).
 */
export const installEnvironment = (): NodeJS.ProcessEnv => {
  const env: NodeJS.ProcessEnv = {}
  for (const [name, value] of Object.entries(process.env)) {
    if (!name.toLowerCase().startsWith('npm_') && name !== 'NODE_OPTIONS') env[name] = value
  }
  return env
}

/** The only inherited variables a consumer's process sees: none of them selects a source. */
const BASE_VARIABLES = ['PATH', 'HOME', 'TMPDIR', 'TMP', 'TEMP', 'SystemRoot', 'LANG']

/**
 * The environment of a consumer's process: `extra` and {@link BASE_VARIABLES}, so that no
 * managed-identity variable of this machine can select a source (or send a request) instead.
 */
export const consumerEnvironment = (extra: Readonly<Record<string, string>> = {}): NodeJS.ProcessEnv => {
  const env: NodeJS.ProcessEnv = {}
  for (const name of BASE_VARIABLES) if (process.env[name] !== undefined) env[name] = process.env[name]
  return { ...env, ...extra }
}

/** Options of {@link runCommand}. */
export interface RunOptions {
  readonly cwd: string
  readonly env?: NodeJS.ProcessEnv
  /** The command is killed after this long. */
  readonly timeoutMs: number
}

/** Runs `command args` to its end (or until `timeoutMs`, then SIGKILL); never rejects on exit code. */
export const runCommand = (
  command: string,
  args: ReadonlyArray<string>,
  { cwd, env = consumerEnvironment(), timeoutMs }: RunOptions,
): Promise<CommandResult> =>
  new Promise((resolve, reject) => {
    const child = spawn(command, [...args], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk
    })
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk
    })
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs)
    child.on('error', (error) => {
      clearTimeout(timer)
      reject(error)
    })
    child.on('close', (code, signal) => {
      clearTimeout(timer)
      resolve({ code, signal, stdout, stderr })
    })
  })

/** Throws, with the command's output, unless it exited 0. */
export const expectSuccess = (what: string, result: CommandResult): CommandResult => {
  if (result.code === 0) return result
  const ending = result.signal === null ? `exit code ${result.code}` : `signal ${result.signal}`
  throw new Error(`${what} failed (${ending}):\n${result.stdout}${result.stderr}`)
}
