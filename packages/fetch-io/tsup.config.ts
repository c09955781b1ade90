import { defineConfig } from 'tsup'
import { inlineFpTsEs6 } from '../core/tsup.config.js'

export default defineConfig({
  // `bun` is its own entry so that the main one never pulls in `node:fs/promises`.
  entry: ['src/index.ts', 'src/bun.ts'],
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'es2022',
  // `left`, `right` and `isLeft` inlined from fp-ts's ES modules: see core's config.
  noExternal: ['fp-ts'],
  esbuildPlugins: [inlineFpTsEs6],
})
