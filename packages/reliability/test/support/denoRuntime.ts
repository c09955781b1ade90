/**
 * Deno, as the workspace root installs it from npm, and a test module bundled for it with
 * esbuild (both devDependencies of the root, resolved from there as fetch-io's runtime tests
 * resolve them). A bundle resolves `@azmi/*` to their sources (the `azmi-source` condition).
 */
import { writeFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { WORKSPACE_ROOT } from '@azmi/test-support'

const requireFromRoot = createRequire(`${WORKSPACE_ROOT}package.json`)

/** The Deno binary: the npm package links it from its platform package on first use. */
export const denoExecutable = (): string =>
  (requireFromRoot('deno/install_api.cjs') as { runInstall: () => string }).runInstall()

/** `entry` bundled into one ES module at `outfile`, for the neutral platform (no Node built-in). */
export const bundleForDeno = async (entry: string, outfile: string): Promise<void> => {
  const { build } = requireFromRoot('esbuild') as typeof import('esbuild')
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    platform: 'neutral',
    format: 'esm',
    conditions: ['azmi-source'],
    mainFields: ['module', 'main'],
    write: false,
    logLevel: 'silent',
  })
  const [output] = result.outputFiles
  if (output === undefined) throw new Error(`esbuild produced nothing for ${entry}`)
  await writeFile(outfile, output.text)
}
