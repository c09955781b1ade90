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
  { find: /^@azmi\/test-support$/, replacement: source('test-support') },
  { find: /^@azmi\/azure-pipeline$/, replacement: source('azure-pipeline') },
  { find: /^@azmi\/testing$/, replacement: source('testing') },
]

type ProjectOptions = {
  testTimeout?: number
  hookTimeout?: number
  pool?: 'forks'
  env?: Record<string, string>
}

/** Fails any test that opens a connection outside 127.0.0.0/8 and ::1 (in every project). */
const LOOPBACK_GUARD = fileURLToPath(
  new URL('./packages/test-support/src/loopbackGuardSetup.ts', import.meta.url),
)

const project = (name: string, extra: ProjectOptions = {}) => ({
  resolve: { alias },
  test: {
    name,
    include: [`packages/${name}/test/**/*.test.{ts,js}`],
    setupFiles: [LOOPBACK_GUARD],
    ...extra,
  },
})

/**
 * interop runs real Azurite over HTTPS with a certificate signed by the emulator's test CA.
 * Node reads NODE_EXTRA_CA_CERTS only when a process starts, so it goes into this project's
 * `env`, which Vitest hands to `child_process.fork` for each of the project's workers
 * (hence `pool: 'forks'`: worker threads would share this process's trust store).
 */
const interop = project('interop', {
  // Azurite and the incumbent's processes start in these; a loaded CI machine starts them slowly.
  testTimeout: 60_000,
  hookTimeout: 60_000,
  pool: 'forks',
  env: { NODE_EXTRA_CA_CERTS: fileURLToPath(new URL('./packages/emulator/certs/ca.pem', import.meta.url)) },
})

export default defineConfig({
  test: {
    projects: [
      project('core'),
      project('emulator'),
      project('node-io'),
      project('fetch-io'),
      project('cli'),
      interop,
      project('reliability'),
      project('testing'),
      // real TLS to the emulated Entra ID through the Azure SDK's own client: trust as interop does
      project('azure-pipeline', {
        pool: 'forks',
        env: {
          NODE_EXTRA_CA_CERTS: fileURLToPath(new URL('./packages/emulator/certs/ca.pem', import.meta.url)),
        },
      }),
    ],
  },
})
