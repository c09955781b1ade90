/**
 * fetch-io's credential on Deno (npm's `deno`), bundled with esbuild for the neutral
 * platform, against the emulator: Deno's fetch, `Deno.env.toObject()` for the environment,
 * `denoReadFile` for the federated token and the Arc key, and the narrow permissions the
 * README lists. Deno trusts the emulator's test CA through `--cert`.
 */
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { canServeArcKeys } from '../support/emulator.js'
import {
  bundleFetchIo,
  denoExecutable,
  run,
  scratchDirectoryPerFile,
  writeScript,
} from '../support/runtimes.js'
import { hostScenarioTests } from './hostScenarios.js'

const scratchDirectory = scratchDirectoryPerFile()

hostScenarioTests('Deno', /^Deno\/2\./, async (emu, scenarios) => {
  const scratch = scratchDirectory()
  await bundleFetchIo('test/runtimes/scenarioRunner.ts', join(scratch, 'runner.mjs'))
  const caFile = join(scratch, 'ca.pem')
  await writeFile(caFile, emu.caCertificatePem)
  const script = await writeScript(
    scratch,
    'scenarios-deno.mjs',
    `import { denoReadFile, runScenarios } from './runner.mjs'
    const outcomes = await runScenarios(${JSON.stringify(scenarios)}, { env: Deno.env.toObject(), readFile: denoReadFile })
    console.log(JSON.stringify(outcomes))`,
  )
  const readable = [
    emu.env('WorkloadIdentity').AZURE_FEDERATED_TOKEN_FILE,
    ...(canServeArcKeys ? [emu.arcKeyDirectory] : []),
  ]
  const permissions = ['--allow-env', '--allow-net=127.0.0.1', `--allow-read=${readable.join(',')}`]
  const args = ['run', '--no-prompt', '--no-config', `--cert=${caFile}`, ...permissions, script]
  const { code, stdout, stderr } = await run(denoExecutable(), args, 60_000, emu.env('AppService'))
  return { code, stderr, outcomes: code === 0 ? JSON.parse(stdout) : {} }
})
