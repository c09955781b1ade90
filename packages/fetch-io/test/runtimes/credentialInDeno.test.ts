/**
 * fetch-io's credential on Deno (npm's `deno`), bundled with esbuild for the neutral
 * platform, against the emulator: Deno's fetch, `Deno.env.toObject()` for the environment,
 * `denoReadFile` for the federated token and the Arc key, and the narrow permissions the
 * README lists. Deno trusts the emulator's test CA through `--cert`.
 */
import { isLinuxRoot } from '@azmi/test-support'
import { denoExecutable } from '../support/runtimes.js'
import { scriptHostTests } from './hostScenarios.js'

const DENO = {
  runner: 'scenarioRunner',
  platform: 'neutral',
  env: 'Deno.env.toObject()',
  readFile: 'denoReadFile',
} as const

scriptHostTests('Deno', /^Deno\/2\./, DENO, async (emu, { caFile, script }) => {
  const readable = [
    emu.env('WorkloadIdentity').AZURE_FEDERATED_TOKEN_FILE,
    ...(isLinuxRoot ? [emu.arcKeyDirectory] : []),
  ]
  const permissions = ['--allow-env', '--allow-net=127.0.0.1', `--allow-read=${readable.join(',')}`]
  const args = ['run', '--no-prompt', '--no-config', `--cert=${caFile}`, ...permissions, script]
  return { file: denoExecutable(), args, env: emu.env('AppService') }
})
