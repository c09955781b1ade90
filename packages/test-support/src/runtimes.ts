/**
 * The other JavaScript runtimes and the bundler, as the workspace root installs them from npm:
 * Deno (`deno`), Bun (`bun`) and esbuild. Tests hand those runtimes azmi's sources bundled
 * into one ES module (the `azmi-source` condition resolves `@azmi/*` to their TypeScript).
 */
import { stat, writeFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import type { BuildOptions } from 'esbuild'
import { WORKSPACE_ROOT } from './childProcesses.js'

const requireFromRoot = createRequire(`${WORKSPACE_ROOT}package.json`)

/** The Deno binary: the npm package links it from its platform package on first use. */
export const denoExecutable = (): string =>
  (requireFromRoot('deno/install_api.cjs') as { runInstall: () => string }).runInstall()

/**
 * The Bun binary. The `bun` package's postinstall (allowed in pnpm-workspace.yaml) moves it
 * from its platform package `@oven/bun-<platform>` into `bun/bin/bun.exe`; before that runs,
 * the file is a placeholder of a few hundred bytes.
 */
export const bunExecutable = async (): Promise<string> => {
  const path = join(dirname(requireFromRoot.resolve('bun/package.json')), 'bin', 'bun.exe')
  const { size } = await stat(path)
  if (size < 1_000_000) throw new Error(`${path} is a placeholder: the bun package's postinstall did not run`)
  return path
}

/**
 * esbuild's options for one ES module of `entry` (an absolute path), as a user's bundler
 * would build it: `neutral` allows no Node built-in at all; `node` keeps `node:` imports for
 * a runtime (Bun) to satisfy. Kept in memory (`write: false`).
 */
export const bundleOptions = (entry: string, platform: 'neutral' | 'node' = 'neutral') =>
  ({
    entryPoints: [entry],
    bundle: true,
    platform,
    format: 'esm',
    // the workspace's source condition, and the package fields fp-ts and io-ts still use
    conditions: ['azmi-source'],
    mainFields: ['module', 'main'],
    write: false,
    logLevel: 'silent',
  }) satisfies BuildOptions

/** `entry` (an absolute path) bundled into one ES module at `outfile`. */
export const bundleToFile = async (
  entry: string,
  outfile: string,
  platform: 'neutral' | 'node' = 'neutral',
): Promise<void> => {
  const { build } = requireFromRoot('esbuild') as typeof import('esbuild')
  const result = await build(bundleOptions(entry, platform))
  const [output] = result.outputFiles
  if (output === undefined) throw new Error(`esbuild produced nothing for ${entry}`)
  await writeFile(outfile, output.text)
}
