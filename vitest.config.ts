import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'

/** Workspace packages resolve to their TypeScript sources, so tests need no build step. */
const source = (pkg: string) => fileURLToPath(new URL(`./packages/${pkg}/src/index.ts`, import.meta.url))
const alias = {
  '@azmi/core': source('core'),
  '@azmi/node-io': source('node-io'),
  '@azmi/fetch-io': source('fetch-io'),
  '@azmi/emulator': source('emulator'),
  '@azmi/cli': source('cli'),
}

const project = (name: string, extra: { testTimeout?: number } = {}) => ({
  resolve: { alias },
  test: { name, include: [`packages/${name}/test/**/*.test.ts`], ...extra },
})

export default defineConfig({
  test: {
    projects: [project('core'), project('emulator'), project('node-io'), project('fetch-io'), project('cli')],
  },
})
