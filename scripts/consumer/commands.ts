/**
 * Child processes for the consumer test: run a command to its end with a time limit, and the
 * environments npm and a consumer's processes get.
 *
 * @module
 */
// by path: these scripts are not a workspace package, and the module needs nothing of vitest
import { runProcess } from '../../packages/test-support/src/childProcesses.js'

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

/**
 * Runs `command args` to its end (or until `timeoutMs`, then SIGKILL), through the test
 * support's `runProcess`; never rejects: a command that cannot start ends with `code: null`.
 */
export const runCommand = async (
  command: string,
  args: ReadonlyArray<string>,
  { cwd, env = consumerEnvironment(), timeoutMs }: RunOptions,
): Promise<CommandResult> => {
  const { code, signal, stdout, stderr } = await runProcess(command, args, {
    cwd,
    env,
    stuckAfterMs: timeoutMs,
  })
  return { code, signal, stdout, stderr }
}

/** Throws, with the command's output, unless it exited 0. */
export const expectSuccess = (what: string, result: CommandResult): CommandResult => {
  if (result.code === 0) return result
  const ending = result.signal === null ? `exit code ${result.code}` : `signal ${result.signal}`
  throw new Error(`${what} failed (${ending}):\n${result.stdout}${result.stderr}`)
}
