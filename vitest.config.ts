import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'

/** Workspace packages resolve to their TypeScript sources, so tests need no build step. */
const source = (pkg: string, entry = 'index') =>
  fileURLToPath(new URL(`./packages/${pkg}/src/${entry}.ts`, import.meta.url))
/** Exact matches only, so a subpath such as `@azmi/fetch-io/bun` is not read as `index.ts/bun`. */
const alias = [
  { find: /^@azmi\/core$/, replacement: source('core') },
  { find: /^@azmi\/node-io$/, replacement: source('node-io') },
  { find: /^@azmi\/fetch-io$/, replacement: source('fetch-io') },
  { find: /^@azmi\/fetch-io\/bun$/, replacement: source('fetch-io', 'bun') },
  { find: /^@azmi\/emulator$/, replacement: source('emulator') },
  { find: /^@azmi\/cli$/, replacement: source('cli') },
]

const project = (name: string, extra: { testTimeout?: number } = {}) => ({
  resolve: { alias },
  test: { name, include: [`packages/${name}/test/**/*.test.ts`], ...extra },
})

export default defineConfig({
  test: {
    projects: [project('core'), project('emulator'), project('node-io'), project('fetch-io'), project('cli')],
  },
})
