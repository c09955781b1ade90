import { defineConfig } from 'tsup'

export default defineConfig({
  // Each entry is its own file (no shared chunks), so a start-up script loads nothing but the
  // library it measures. The libraries stay external: the bench imports their built `dist`.
  entry: ['src/main.ts', 'src/worker.ts', 'src/startup/*.ts'],
  format: ['esm'],
  platform: 'node',
  target: 'node20',
  splitting: false,
  skipNodeModulesBundle: true,
  clean: true,
})
