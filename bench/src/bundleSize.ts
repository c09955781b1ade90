/**
 * What `ManagedIdentityCredential` adds to an application bundle: esbuild `--bundle --minify`
 * of a one-line entry `export { ManagedIdentityCredential } from '<package>'`, resolved from
 * `bench/` as a user's project would resolve it (the packages' built `dist`, through their
 * `exports` maps), then gzipped at level 9. The bundles stay in `bench/.tmp/bundles` to read.
 */
import { mkdirSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { gzipSync } from 'node:zlib'
import { type BuildOptions, build, type Plugin, version } from 'esbuild'
import type { SubjectId } from './subjects.js'

export interface BundleSize {
  readonly rawBytes: number
  readonly gzipBytes: number
  /** The esbuild options, as a command line, for results.md. */
  readonly command: string
  /** The largest inputs and the bytes each left in the output. */
  readonly largestInputs: ReadonlyArray<readonly [string, number]>
}

interface Recipe {
  readonly specifier: string
  readonly options: Pick<BuildOptions, 'platform' | 'mainFields'>
  readonly flags: string
}

/**
 * fetch-io targets edge runtimes, so it is bundled as a Worker's bundler does (platform
 * neutral, ESM `module` entry first); node-io and `@azure/identity` for Node (built-ins
 * external).
 */
const recipes: Record<SubjectId, Recipe> = {
  'fetch-io': {
    specifier: '@azmi/fetch-io',
    options: { platform: 'neutral', mainFields: ['module', 'main'] },
    flags: '--platform=neutral --main-fields=module,main',
  },
  'node-io': { specifier: '@azmi/node-io', options: { platform: 'node' }, flags: '--platform=node' },
  peer: { specifier: '@azure/identity', options: { platform: 'node' }, flags: '--platform=node' },
}

const benchDirectory = fileURLToPath(new URL('..', import.meta.url))
const outputDirectory = fileURLToPath(new URL('../.tmp/bundles/', import.meta.url))

const shortPath = (path: string) => path.replace(/^.*node_modules\//, '').replace(/^(\.\.\/)+/, '')

export const bundleSize = async (id: SubjectId): Promise<BundleSize> => {
  const recipe = recipes[id]
  mkdirSync(outputDirectory, { recursive: true })
  const outfile = `${outputDirectory}${id}.js`
  const result = await build({
    stdin: {
      contents: `export { ManagedIdentityCredential } from '${recipe.specifier}'`,
      resolveDir: benchDirectory,
      loader: 'js',
    },
    ...recipe.options,
    bundle: true,
    minify: true,
    format: 'esm',
    metafile: true,
    outfile,
    logLevel: 'error',
  })
  const output = result.metafile.outputs[Object.keys(result.metafile.outputs)[0] as string]
  const bytes = readFileSync(outfile)
  const largestInputs = Object.entries(output?.inputs ?? {})
    .map(([path, input]) => [shortPath(path), input.bytesInOutput] as const)
    .filter(([, size]) => size > 0)
    .sort((a, b) => b[1] - a[1])
    .slice(0, 8)
  return {
    rawBytes: bytes.length,
    gzipBytes: gzipSync(bytes, { level: 9 }).length,
    command: `echo "export { ManagedIdentityCredential } from '${recipe.specifier}'" | esbuild --bundle --minify --format=esm ${recipe.flags}   # esbuild ${version}, from bench/`,
    largestInputs,
  }
}

/** `fp-ts/lib/X.js` to `fp-ts/es6/X.js` and io-ts to its es6 entry, as the packages' builds do. */
const fpTsEs6: Plugin = {
  name: 'fp-ts-es6',
  setup(esbuild) {
    esbuild.onResolve({ filter: /^fp-ts\/lib\/[A-Za-z]+\.js$/ }, ({ path, resolveDir, kind }) =>
      esbuild.resolve(path.replace('fp-ts/lib/', 'fp-ts/es6/'), { resolveDir, kind }),
    )
    esbuild.onResolve({ filter: /^io-ts$/ }, ({ resolveDir, kind }) =>
      esbuild.resolve('io-ts/es6/index.js', { resolveDir, kind }),
    )
  },
}

const ownerOf = (path: string): string => {
  const match = /packages\/([^/]+)\/src\//.exec(path) ?? /node_modules\/(fp-ts|io-ts)\//.exec(path)
  return match?.[1] ?? 'other'
}

/**
 * Where fetch-io's bundle comes from: the same bundle made from the TypeScript sources (the
 * workspace's \`azmi-source\` condition), so that esbuild can say which package each minified
 * byte belongs to; the built \`dist\` holds core, fp-ts and io-ts in one file.
 */
export const fetchIoBreakdown = async (): Promise<ReadonlyArray<readonly [string, number]>> => {
  const result = await build({
    stdin: {
      contents: `export { ManagedIdentityCredential } from '@azmi/fetch-io'`,
      resolveDir: benchDirectory,
      loader: 'js',
    },
    ...recipes['fetch-io'].options,
    conditions: ['azmi-source'],
    plugins: [fpTsEs6],
    bundle: true,
    minify: true,
    format: 'esm',
    metafile: true,
    write: false,
    outfile: `${outputDirectory}fetch-io-from-source.js`,
    logLevel: 'error',
  })
  const output = Object.values(result.metafile.outputs)[0]
  const owners = new Map<string, number>()
  for (const [path, input] of Object.entries(output?.inputs ?? {}))
    owners.set(ownerOf(path), (owners.get(ownerOf(path)) ?? 0) + input.bytesInOutput)
  return [...owners].filter(([, bytes]) => bytes > 0).sort((a, b) => b[1] - a[1])
}
