import { defineConfig } from 'tsup'
import { inlineFpTsEs6 } from '../core/tsup.config.js'

export default defineConfig({
  entry: ['src/index.ts'],
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'es2022',
  // `left`, `right` and `isLeft` inlined from fp-ts's ES modules: see core's config.
  noExternal: ['fp-ts'],
  esbuildPlugins: [inlineFpTsEs6],
})
