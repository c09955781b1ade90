import { defineConfig } from 'tsup'

export default defineConfig({
  // `bun` is its own entry so that the main one never pulls in `node:fs/promises`.
  entry: ['src/index.ts', 'src/bun.ts'],
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'es2022',
})
