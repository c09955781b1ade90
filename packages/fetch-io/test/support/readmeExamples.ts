/**
 * The README's examples as runnable scripts: the code block after `<!-- example: NAME -->`,
 * bundled by esbuild exactly as it stands, with `@azmi/fetch-io` (and `/bun`) pointed at this
 * package's sources as if installed. Node bundles get a `require` of their own, for the
 * CommonJS packages (undici) bundled into an ES module.
 */
import { readFile } from 'node:fs/promises'
import type { Plugin } from 'esbuild'
import { build } from 'esbuild'

const packageRoot = new URL('../../', import.meta.url)

/** The code block that follows `<!-- example: name -->` in the README. */
export const readmeExample = async (name: string): Promise<string> => {
  const readme = await readFile(new URL('README.md', packageRoot), 'utf8')
  const match = new RegExp(`<!-- example: ${name} -->\\n\`\`\`ts\\n([\\s\\S]*?)\\n\`\`\`\\n`).exec(readme)
  if (match?.[1] === undefined) throw new Error(`README.md has no example named ${name}`)
  return match[1]
}

const thisPackage: Plugin = {
  name: 'this-package',
  setup: (builder) => {
    builder.onResolve({ filter: /^@azmi\/fetch-io(\/bun)?$/ }, ({ path }) => ({
      path: new URL(path.endsWith('/bun') ? 'src/bun.ts' : 'src/index.ts', packageRoot).pathname,
    }))
  },
}

const NODE_REQUIRE =
  "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);"

/** The runtimes an example is bundled for. */
export type Runtime = 'node' | 'deno' | 'bun'

/**
 * The README example `name` bundled into one ES module for `runtime`, returned as text: for
 * esbuild's `neutral` platform on Deno (nothing of Node may remain), for `node` on Node and
 * Bun (`node:` imports stay imports, for the runtime to satisfy).
 */
export const bundleReadmeExample = async (name: string, runtime: Runtime): Promise<string> => {
  const platform = runtime === 'deno' ? 'neutral' : 'node'
  const result = await build({
    stdin: { contents: await readmeExample(name), loader: 'ts', resolveDir: packageRoot.pathname },
    bundle: true,
    platform,
    format: 'esm',
    conditions: ['azmi-source'],
    mainFields: ['module', 'main'],
    plugins: [thisPackage],
    ...(runtime === 'node' && { banner: { js: NODE_REQUIRE } }),
    write: false,
    logLevel: 'silent',
  })
  const [output] = result.outputFiles
  if (output === undefined) throw new Error(`esbuild produced nothing for the example ${name}`)
  return output.text
}
