/**
 * fetch-io's credential on Bun (npm's `bun`), bundled with esbuild together with the
 * `@azmi/fetch-io/bun` entry, against the emulator: Bun's fetch, `Bun.env` for the
 * environment, `bunReadFile` for the federated token and the Arc key. Bun trusts the
 * emulator's test CA through `NODE_EXTRA_CA_CERTS`, which it honours as Node does.
 */
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import {
  bundleFetchIo,
  bunExecutable,
  run,
  scratchDirectoryPerFile,
  writeScript,
} from '../support/runtimes.js'
import { hostScenarioTests } from './hostScenarios.js'

const scratchDirectory = scratchDirectoryPerFile()

hostScenarioTests('Bun', /^Bun\/1\./, async (emu, scenarios) => {
  const scratch = scratchDirectory()
  await bundleFetchIo('test/runtimes/scenarioRunnerBun.ts', join(scratch, 'runner-bun.mjs'), 'node')
  const caFile = join(scratch, 'ca.pem')
  await writeFile(caFile, emu.caCertificatePem)
  const script = await writeScript(
    scratch,
    'scenarios-bun.mjs',
    `import { bunReadFile, runScenarios } from './runner-bun.mjs'
    const outcomes = await runScenarios(${JSON.stringify(scenarios)}, { env: Bun.env, readFile: bunReadFile })
    console.log(JSON.stringify(outcomes))`,
  )
  const env = { ...emu.env('AppService'), NODE_EXTRA_CA_CERTS: caFile }
  const { code, stdout, stderr } = await run(await bunExecutable(), ['run', script], 60_000, env)
  return { code, stderr, outcomes: code === 0 ? JSON.parse(stdout) : {} }
})
