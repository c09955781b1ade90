/**
 * The one build configuration of the published packages: each package's `tsup.config.ts` is
 * `packageBuild({...})` with only what that package adds (its entries, what it inlines, shims).
 * `bench/` is an application, not a package, and keeps its own.
 *
 * @module
 */
import type { Plugin } from 'esbuild'
import { defineConfig, type Options } from 'tsup'

/**
 * Inline the fp-ts and io-ts functions the sources use, taken from the libraries' ES module
 * builds, so that `dist` imports nothing of them at run time.
 *
 * The sources import `fp-ts/lib/X.js`, the only form Node ESM loads (fp-ts has no `exports`
 * map: fp-ts issue 1966). But `lib/` is CommonJS, which no bundler can tree-shake: a
 * consumer's bundle would carry `Either.js` with `Apply`, `Chain`, `Witherable`... (~27 KB
 * minified) for a handful of functions, and Node would load ~15 CommonJS modules at start-up.
 * Resolving to `fp-ts/es6/X.js` (and io-ts's `es6/`) here, and bundling them, keeps only what
 * is used and works for every consumer: Node ESM and CommonJS, Deno, Bun and bundlers alike.
 * fp-ts and io-ts stay dependencies: the declaration files use their types.
 */
export const inlineFpTsEs6: Plugin = {
  name: 'inline-fp-ts-es6',
  setup(build) {
    build.onResolve({ filter: /^fp-ts\/lib\/[A-Za-z]+\.js$/ }, ({ path, resolveDir, kind }) =>
      build.resolve(path.replace('fp-ts/lib/', 'fp-ts/es6/'), { resolveDir, kind }),
    )
    build.onResolve({ filter: /^io-ts$/ }, ({ resolveDir, kind }) =>
      build.resolve('io-ts/es6/index.js', { resolveDir, kind }),
    )
  },
}

/** A package's own part of its build: any tsup option, plus the libraries it inlines. */
export interface PackageBuild extends Options {
  /** Bundle these into `dist` from their ES module builds (see {@link inlineFpTsEs6}). */
  readonly inline?: ReadonlyArray<'fp-ts' | 'io-ts'>
}

/**
 * The build of one package: `src/index.ts` to ES module and CommonJS with declarations and
 * source maps, for ES2022, dependencies external unless `inline` names them.
 */
export const packageBuild = ({ inline = [], ...options }: PackageBuild = {}) =>
  defineConfig({
    entry: ['src/index.ts'],
    format: ['esm', 'cjs'],
    dts: true,
    clean: true,
    sourcemap: true,
    target: 'es2022',
    ...(inline.length > 0 && { noExternal: [...inline], esbuildPlugins: [inlineFpTsEs6] }),
    ...options,
  })
