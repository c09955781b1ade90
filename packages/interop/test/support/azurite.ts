/**
 * A real Azurite blob service for one test file: its own process, its own temporary data
 * directory, HTTPS with the emulator's test certificate (Azurite accepts bearer tokens only
 * over HTTPS) and `--oauth basic`, under which it checks every token's `iat`/`nbf`/`exp`,
 * issuer and audience (not its signature).
 *
 * Azurite listens on a port the kernel picks (`--blobPort 0`) and prints the address it got.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { once } from 'node:events'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

/** Azurite's well-known development account; IP-style URLs name it in the path. */
export const AZURITE_ACCOUNT = 'devstoreaccount1'

/** The test certificates shared with `@azmi/emulator`: `server.pem` is signed by `ca.pem`. */
export const certificatePath = (name: 'ca.pem' | 'server.pem' | 'server.key'): string =>
  fileURLToPath(new URL(`../../../emulator/certs/${name}`, import.meta.url))

export interface Azurite {
  /** `https://127.0.0.1:PORT/devstoreaccount1`. */
  readonly accountUrl: string
  /** The process id, so a test can check that `stop()` left nothing behind. */
  readonly pid: number
  /** Stops the process, waits for it to exit, and deletes the data directory. */
  stop(): Promise<void>
}

/** The `azurite-blob` entry point, read from the installed package's `bin` map. */
const azuriteBlobEntry = async (): Promise<string> => {
  const require = createRequire(import.meta.url)
  const manifestPath = require.resolve('azurite/package.json')
  const manifest = JSON.parse(await readFile(manifestPath, 'utf8')) as { bin: Record<string, string> }
  const entry = manifest.bin['azurite-blob']
  if (entry === undefined) throw new Error('the azurite package has no azurite-blob bin')
  return join(dirname(manifestPath), entry)
}

/** Resolves with the address once Azurite says it listens; rejects if it exits first. */
const listeningAddress = (child: ChildProcess, output: { text: string }): Promise<string> =>
  new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output.text += chunk.toString('utf8')
      const match = /successfully listens on (https:\/\/\S+)/.exec(output.text)
      if (match?.[1] !== undefined) {
        child.stdout?.off('data', onData)
        child.off('exit', onExit)
        resolve(match[1])
      }
    }
    const onExit = (code: number | null, signal: NodeJS.Signals | null) =>
      reject(new Error(`Azurite exited (${code ?? signal}) before listening:\n${output.text}`))
    child.stdout?.on('data', onData)
    child.stderr?.on('data', (chunk: Buffer) => {
      output.text += chunk.toString('utf8')
    })
    child.once('exit', onExit)
  })

/** Ends the process and waits for its exit; SIGKILL if SIGTERM has not ended it within `graceMs`. */
const stopProcess = async (child: ChildProcess, graceMs: number): Promise<void> => {
  if (child.exitCode !== null || child.signalCode !== null) return
  const exited = once(child, 'exit')
  child.kill('SIGTERM')
  const forceKill = setTimeout(() => child.kill('SIGKILL'), graceMs)
  try {
    await exited
  } finally {
    clearTimeout(forceKill)
  }
}

export const startAzurite = async (): Promise<Azurite> => {
  const location = await mkdtemp(join(tmpdir(), 'azmi-interop-azurite-'))
  // biome-ignore format: one flag and its value per line
  const args = [
    await azuriteBlobEntry(),
    '--blobHost', '127.0.0.1',
    '--blobPort', '0',
    '--location', location,
    '--oauth', 'basic',
    '--cert', certificatePath('server.pem'),
    '--key', certificatePath('server.key'),
    '--skipApiVersionCheck',
    '--disableTelemetry',
    '--silent',
  ]
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] })
  const output = { text: '' }
  try {
    const address = await listeningAddress(child, output)
    if (child.pid === undefined) throw new Error('Azurite has no process id')
    // Keep draining its output so that a chatty Azurite can never block on a full pipe.
    child.stdout?.resume()
    child.stderr?.resume()
    return {
      accountUrl: `${address}/${AZURITE_ACCOUNT}`,
      pid: child.pid,
      stop: async () => {
        await stopProcess(child, 5_000)
        await rm(location, { recursive: true, force: true })
      },
    }
  } catch (error) {
    await stopProcess(child, 5_000)
    await rm(location, { recursive: true, force: true })
    throw error
  }
}

/** Whether a process with this id still exists (signal 0 checks without sending anything). */
export const isProcessAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') return false
    throw error
  }
}
