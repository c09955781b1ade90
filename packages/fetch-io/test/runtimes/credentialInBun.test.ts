/**
 * fetch-io's credential on Bun (npm's `bun`), bundled with esbuild together with the
 * `@azmi/fetch-io/bun` entry, against the emulator: Bun's fetch, `Bun.env` for the
 * environment, `bunReadFile` for the federated token and the Arc key. Bun trusts the
 * emulator's test CA through `NODE_EXTRA_CA_CERTS`, which it honours as Node does.
 */
import { bunExecutable } from '../support/runtimes.js'
import { scriptHostTests } from './hostScenarios.js'

const BUN = {
  runner: 'scenarioRunnerBun',
  platform: 'node',
  env: 'Bun.env',
  readFile: 'bunReadFile',
} as const

scriptHostTests('Bun', /^Bun\/1\./, BUN, async (emu, { caFile, script }) => ({
  file: await bunExecutable(),
  args: ['run', script],
  env: { ...emu.env('AppService'), NODE_EXTRA_CA_CERTS: caFile },
}))
