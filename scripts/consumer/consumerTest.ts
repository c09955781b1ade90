/**
 * `pnpm test:consumer` (after `pnpm build`): the packed tarballs installed with plain npm into
 * fresh projects under the system's temporary directory, outside the workspace, and used
 * there as a user would:
 *
 * - node-io from an ES module and from CommonJS, tokens from the packed emulator;
 * - TypeScript 5.9 type-checking a consumer that hands the credentials to
 *   `@azure/storage-blob`'s `BlobServiceClient`, under node16, nodenext and bundler
 *   resolution, `strict`, `skipLibCheck: false`;
 * - fetch-io bundled by esbuild for `--platform=neutral`, the bundle then run against the emulator;
 * - the installed `azmi` command (see `cliConsumer.ts`);
 * - `@azmi/testing`'s README property test, taken from the installed README and run with
 *   plain node against fast-check from the registry;
 * - `@azmi/azure-pipeline` type-checked (nodenext, strict, `skipLibCheck: false`) with its peer
 *   `@azure/core-rest-pipeline`, and loaded from an ES module and through `require`.
 *
 * The six projects install in parallel, one `npm install` each, sharing one npm cache that
 * outlives the run (so a second run downloads nothing). Prints each check and the runtime;
 * exits 1 if any check fails, keeping the projects for a look.
 *
 * @module
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { checkInstalledCli } from './cliConsumer.js'
import { consumerEnvironment, expectSuccess, runCommand } from './commands.js'
import { type InstallOptions, installProject, type ProjectSpec } from './npmProject.js'
import { runReadmeExample } from './readmeExample.js'
import { packPublicPackages } from './tarballs.js'

/** A check inside an installed project: resolves to what it saw, throws on failure. */
type Check = (folder: string) => Promise<string>

interface Consumer extends ProjectSpec {
  readonly checks: ReadonlyArray<readonly [name: string, check: Check]>
}

/** `node <script>` (or any bin) in the project; resolves to its output. */
const run =
  (command: string, args: ReadonlyArray<string>): Check =>
  async (folder) => {
    const bin = command === 'node' ? process.execPath : join(folder, 'node_modules', '.bin', command)
    const result = await runCommand(bin, args, {
      cwd: folder,
      env: consumerEnvironment(),
      timeoutMs: 120_000,
    })
    return expectSuccess(`${command} ${args.join(' ')}`, result).stdout.trim() || 'ok'
  }

const typeCheck = (resolution: string): readonly [string, Check] => [
  `tsc --module ${resolution}`,
  run('tsc', ['-p', `tsconfig.${resolution}.json`]),
]

const CONSUMERS: ReadonlyArray<Consumer> = [
  {
    name: 'node-io',
    wants: ['@azmi/node-io', '@azmi/emulator'],
    fixtures: 'node-io',
    checks: [
      ['node-io from an ES module', run('node', ['esm.mjs'])],
      ['node-io from CommonJS', run('node', ['cjs.cjs'])],
    ],
  },
  {
    name: 'typescript',
    wants: ['@azmi/core', '@azmi/node-io', '@azmi/fetch-io', '@azmi/emulator', '@azmi/cli'],
    registry: { typescript: '5.9.3', '@azure/storage-blob': '12.32.0', '@types/node': '20.19.43' },
    fixtures: 'typescript',
    checks: [typeCheck('node16'), typeCheck('nodenext'), typeCheck('bundler')],
  },
  {
    name: 'fetch-io',
    wants: ['@azmi/fetch-io', '@azmi/emulator'],
    registry: { esbuild: '0.25.12' },
    fixtures: 'fetch-io',
    checks: [
      [
        'esbuild --platform=neutral',
        run('esbuild', [
          'entry.mjs',
          '--bundle',
          '--platform=neutral',
          '--format=esm',
          '--outfile=bundle.mjs',
        ]),
      ],
      ['the neutral bundle on Node', run('node', ['run.mjs'])],
    ],
  },
  { name: 'cli', wants: ['@azmi/cli'], checks: [['the installed azmi command', checkInstalledCli]] },
  {
    name: 'testing',
    wants: ['@azmi/testing', '@azmi/core'],
    registry: { 'fast-check': '4.11.0' },
    checks: [
      [
        "@azmi/testing's README property test, with plain node",
        runReadmeExample('@azmi/testing', 'property-test', 'property-test.mjs'),
      ],
    ],
  },
  {
    name: 'azure-pipeline',
    wants: ['@azmi/azure-pipeline', '@azmi/node-io'],
    registry: { typescript: '5.9.3', '@azure/core-rest-pipeline': '1.24.0', '@types/node': '20.19.43' },
    fixtures: 'azure-pipeline',
    checks: [
      ['tsc --module nodenext with the peer @azure/core-rest-pipeline', run('tsc', ['-p', 'tsconfig.json'])],
      ['@azmi/azure-pipeline from import and require', run('node', ['load.mjs'])],
    ],
  },
]

const seconds = (since: number): string => `${((performance.now() - since) / 1000).toFixed(1)} s`

/** Installs one consumer's project, then runs its checks in order; resolves to the failures. */
const runConsumer = async (consumer: Consumer, install: InstallOptions): Promise<number> => {
  const started = performance.now()
  const lines: string[] = []
  let failures = 0
  try {
    await installProject(consumer, install)
    lines.push(`  npm install (${seconds(started)})`)
    for (const [name, check] of consumer.checks) {
      const checkStarted = performance.now()
      try {
        const saw = await check(install.folder)
        lines.push(`  ok     ${name} (${seconds(checkStarted)}): ${saw.split('\n').join('\n         ')}`)
      } catch (error) {
        failures += 1
        lines.push(
          `  FAILED ${name} (${seconds(checkStarted)}): ${error instanceof Error ? error.message : error}`,
        )
      }
    }
  } catch (error) {
    failures += consumer.checks.length
    lines.push(`  FAILED npm install: ${error instanceof Error ? error.message : error}`)
  }
  console.log(`::: consumer ${consumer.name} in ${install.folder}\n${lines.join('\n')}`)
  return failures
}

const main = async (): Promise<number> => {
  const started = performance.now()
  const scratch = mkdtempSync(join(tmpdir(), 'azmi-consumer-'))
  const cache = join(tmpdir(), 'azmi-consumer-npm-cache')
  const tarballs = packPublicPackages(join(scratch, 'tarballs'))
  console.log(`packed ${tarballs.length} tarballs with pnpm (${seconds(started)}); npm cache ${cache}`)
  const failures = await Promise.all(
    CONSUMERS.map((consumer) =>
      runConsumer(consumer, { folder: join(scratch, consumer.name), tarballs, cache }),
    ),
  )
  const failed = failures.reduce((sum, count) => sum + count, 0)
  const checks = CONSUMERS.reduce((sum, consumer) => sum + consumer.checks.length, 0)
  console.log(`consumer test: ${checks - failed} of ${checks} checks ok in ${seconds(started)}`)
  if (failed === 0) rmSync(scratch, { recursive: true, force: true })
  else console.log(`the projects are kept in ${scratch}`)
  return failed === 0 ? 0 : 1
}

process.exitCode = await main()
