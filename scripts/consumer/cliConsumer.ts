/**
 * The installed `azmi` command, as a user runs it: `azmi emulate` started from the packed
 * `@azmi/cli` (with the packed emulator beneath it), its printed `export` lines read back,
 * then `azmi explain` and `azmi token` with App Service's variables, and `azmi token` over
 * workload identity's TLS endpoint, trusted only through the printed `NODE_EXTRA_CA_CERTS`
 * file. Each child gets the printed variables and nothing else that selects a source.
 *
 * @module
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { consumerEnvironment, expectSuccess, runCommand } from './commands.js'

const SCOPE = 'https://storage.azure.com/.default'

/** The variables `azmi emulate` printed, per `# Name` heading (the CA line under its own). */
type Printed = ReadonlyMap<string, Readonly<Record<string, string>>>

/** Reads `export NAME='value'` lines (with `'\''` for a quote) under `# heading` lines. */
const parseExports = (text: string): Printed => {
  const sections = new Map<string, Record<string, string>>()
  let section: Record<string, string> = {}
  for (const line of text.split('\n')) {
    if (line.startsWith('# ')) {
      section = {}
      sections.set(line.slice(2).split(' ')[0] ?? '', section)
      continue
    }
    const assignment = /^export ([A-Za-z_][A-Za-z0-9_]*)='(.*)'$/.exec(line)
    if (assignment?.[1] !== undefined) section[assignment[1]] = (assignment[2] ?? '').replaceAll("'\\''", "'")
  }
  return sections
}

/** Starts `azmi emulate`; resolves with the child and what it printed once it is listening. */
const startEmulate = (bin: string, cwd: string): Promise<{ child: ChildProcess; printed: string }> =>
  new Promise((resolve, reject) => {
    const child = spawn(bin, ['emulate'], {
      cwd,
      env: consumerEnvironment(),
      stdio: ['ignore', 'pipe', 'inherit'],
    })
    let printed = ''
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`azmi emulate printed no banner within 30 s:\n${printed}`))
    }, 30_000)
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      printed += chunk
      if (printed.includes('Press Ctrl+C to stop.')) {
        clearTimeout(timer)
        resolve({ child, printed })
      }
    })
    child.on('error', reject)
    child.on('exit', (code) => reject(new Error(`azmi emulate exited early (${code}):\n${printed}`)))
  })

/** Sends SIGTERM and resolves with the exit code. */
const stop = (child: ChildProcess): Promise<number | null> =>
  new Promise((resolve) => {
    child.removeAllListeners('exit')
    child.once('exit', (code) => resolve(code))
    child.kill('SIGTERM')
  })

const section = (printed: Printed, name: string): Readonly<Record<string, string>> => {
  const variables = printed.get(name)
  if (variables === undefined || Object.keys(variables).length === 0) {
    throw new Error(`azmi emulate printed no variables under "# ${name}"`)
  }
  return variables
}

/** The file the printed `export NODE_EXTRA_CA_CERTS=...` line names; it must exist. */
const caFileOf = (printed: Printed): string => {
  const caFile = [...printed.values()].find(
    (variables) => 'NODE_EXTRA_CA_CERTS' in variables,
  )?.NODE_EXTRA_CA_CERTS
  if (caFile === undefined || !existsSync(caFile)) {
    throw new Error(`azmi emulate printed no NODE_EXTRA_CA_CERTS file that exists (${caFile})`)
  }
  return caFile
}

/** `azmi <args>` with only the given variables (and PATH, HOME...) in its environment. */
const azmi = (bin: string, cwd: string, args: ReadonlyArray<string>, variables: Record<string, string>) =>
  runCommand(bin, args, { cwd, env: consumerEnvironment(variables), timeoutMs: 60_000 })

const expectJsonSource = (output: string, source: string): void => {
  const printed = JSON.parse(output) as { source?: string; tokenType?: string; token?: unknown }
  if (printed.source !== source || printed.tokenType !== 'Bearer' || printed.token !== undefined) {
    throw new Error(`azmi token --json printed ${output}`)
  }
}

/** `explain` (as the bin and through `npx @azmi/cli`) and `token` with App Service's variables. */
const checkAppService = async (bin: string, folder: string, printed: Printed): Promise<void> => {
  const appService = section(printed, 'AppService')
  const explain = expectSuccess('azmi explain', await azmi(bin, folder, ['explain'], appService))
  if (!explain.stdout.includes('Selected: AppService')) throw new Error(`azmi explain:\n${explain.stdout}`)
  const viaNpx = await runCommand('npx', ['--no', '@azmi/cli', 'explain'], {
    cwd: folder,
    env: consumerEnvironment(appService),
    timeoutMs: 60_000,
  })
  if (!expectSuccess('npx @azmi/cli explain', viaNpx).stdout.includes('Selected: AppService')) {
    throw new Error(`npx @azmi/cli explain:\n${viaNpx.stdout}`)
  }
  const token = await azmi(bin, folder, ['token', '--scope', SCOPE, '--json'], appService)
  expectJsonSource(expectSuccess('azmi token (AppService)', token).stdout, 'AppService')
}

/** `token` over workload identity's TLS endpoint: refused without the printed CA file, served with it. */
const checkWorkloadIdentity = async (bin: string, folder: string, printed: Printed): Promise<void> => {
  const caFile = caFileOf(printed)
  const workload = section(printed, 'WorkloadIdentity')
  const untrusted = await azmi(bin, folder, ['token', '--scope', SCOPE, '--timeout', '5000'], workload)
  if (untrusted.code === 0) throw new Error('azmi token over TLS succeeded without NODE_EXTRA_CA_CERTS')
  const trusted = { ...workload, NODE_EXTRA_CA_CERTS: caFile }
  const overTls = await azmi(bin, folder, ['token', '--scope', SCOPE, '--json'], trusted)
  expectJsonSource(expectSuccess('azmi token (WorkloadIdentity)', overTls).stdout, 'WorkloadIdentity')
}

/** The whole check, in the installed project `folder`; throws on the first failure. */
export const checkInstalledCli = async (folder: string): Promise<string> => {
  const bin = join(folder, 'node_modules', '.bin', 'azmi')
  const { child, printed: text } = await startEmulate(bin, folder)
  try {
    const printed = parseExports(text)
    await checkAppService(bin, folder, printed)
    await checkWorkloadIdentity(bin, folder, printed)
    const caFile = caFileOf(printed)
    const exitCode = await stop(child)
    if (exitCode !== 0) throw new Error(`azmi emulate exited ${exitCode} on SIGTERM`)
    if (existsSync(caFile)) throw new Error(`azmi emulate left ${caFile} behind`)
    return 'azmi emulate; azmi explain and npx @azmi/cli explain; azmi token from AppService, and from WorkloadIdentity only with the printed NODE_EXTRA_CA_CERTS'
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL')
  }
}
