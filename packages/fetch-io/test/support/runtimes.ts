/**
 * The other runtimes, as installed from npm into the workspace root: Deno (`deno`), Bun
 * (`bun`) and workerd (through `miniflare`). Tests run scripts in them against servers of
 * their own on 127.0.0.1, and can hand them fetch-io itself, bundled by esbuild.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { bundleToFile, bunExecutable, denoExecutable, runProcess } from '@azmi/test-support'
import { afterAll, beforeAll } from 'vitest'

export { bunExecutable, denoExecutable }

export interface Finished {
  readonly code: number | null
  readonly stdout: string
  readonly stderr: string
}

/**
 * Run a runtime's program to its end (killed after `timeoutMs`), with this process's
 * environment plus `extraEnv` and the runtimes' colour, update and telemetry checks off.
 */
export const run = async (
  file: string,
  args: ReadonlyArray<string>,
  timeoutMs = 60_000,
  extraEnv: Readonly<Record<string, string>> = {},
): Promise<Finished> => {
  const env = { ...process.env, NO_COLOR: '1', DENO_NO_UPDATE_CHECK: '1', DO_NOT_TRACK: '1', ...extraEnv }
  const { code, stdout, stderr } = await runProcess(file, args, { env, stuckAfterMs: timeoutMs })
  return { code, stdout, stderr }
}

/**
 * A temporary directory for one test file: made before its tests, removed after them. Call
 * at the top level of the file (hooks cannot be registered from inside other hooks); the
 * returned function gives the path once the directory exists.
 */
export const scratchDirectoryPerFile = (): (() => string) => {
  let directory = ''
  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 'azmi-fetch-io-'))
  })
  afterAll(() => rm(directory, { recursive: true, force: true }))
  return () => directory
}

/**
 * fetch-io bundled into one ES module at `outfile`, as a user's bundler would produce it:
 * `entry` is a path from the package root (an entry of fetch-io, or a test module that
 * imports it). `platform: 'neutral'` for the main entry (nothing of Node may remain); the Bun
 * entry needs `'node'` so that `node:fs/promises` stays an import for Bun to satisfy.
 */
export const bundleFetchIo = (entry: string, outfile: string, platform: 'neutral' | 'node' = 'neutral') =>
  bundleToFile(new URL(`../../${entry}`, import.meta.url).pathname, outfile, platform)

/** Write `script` to `name` in `directory` and return its path. */
export const writeScript = async (directory: string, name: string, script: string): Promise<string> => {
  const path = join(directory, name)
  await writeFile(path, script)
  return path
}
