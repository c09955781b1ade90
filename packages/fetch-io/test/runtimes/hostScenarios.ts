/**
 * One batch of scenarios for a runtime that runs scripts (Deno, Bun): the runtime starts once,
 * runs them all through fetch-io's credential against the emulator and prints the outcomes;
 * the tests here then judge each outcome and the requests the emulator received.
 *
 * The host's own environment (`Deno.env.toObject()`, `Bun.env`) carries App Service's
 * variables, as a real App Service would; the other scenarios carry theirs.
 */
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { Emulator, RecordedRequest } from '@azmi/emulator'
import { claimsOf, emulatorPerFile, formOf, isLinuxRoot, RESOURCE } from '@azmi/test-support'
import { beforeAll, describe, expect, it } from 'vitest'
import {
  bundleFetchIo,
  type Finished,
  run,
  scratchDirectoryPerFile,
  writeScript,
} from '../support/runtimes.js'
import type { RuntimeOutcome, RuntimeScenario } from './scenarioRunner.js'

/** The scenarios, in the order they run. */
export const hostScenarios = (emu: Emulator): ReadonlyArray<RuntimeScenario> => [
  // First, so that it takes the hang scripted for App Service; the next request answers.
  { name: 'timeout', env: emu.env('AppService'), options: { timeoutMs: 300, retry: { maxRetries: 0 } } },
  { name: 'app-service' },
  { name: 'imds', env: emu.env('Imds') },
  { name: 'azure-ml', env: emu.env('AzureML') },
  { name: 'cloud-shell', env: emu.env('CloudShell') },
  { name: 'workload-identity', env: emu.env('WorkloadIdentity'), readFile: true },
  {
    name: 'workload-identity-client-id',
    env: emu.env('WorkloadIdentity'),
    readFile: true,
    options: { clientId: emu.identities.system.clientId },
  },
  { name: 'workload-identity-without-readFile', env: emu.env('WorkloadIdentity') },
  { name: 'service-fabric', env: emu.env('ServiceFabric') },
  ...(isLinuxRoot
    ? [
        {
          name: 'azure-arc',
          env: emu.env('AzureArc'),
          readFile: true,
          options: { platform: { os: 'linux' } },
        } as const,
      ]
    : []),
]

/** The outcome of fetch-io refusing a scenario because the runtime lacks `capability`. */
export const lacking = (capability: 'readFile' | 'tlsPinning'): RuntimeOutcome => ({
  ok: false,
  name: 'CredentialUnavailableError',
  code: 'unsupported_runtime',
  tag: 'UnsupportedRuntime',
  capability,
})

/** The outcome of an App Service scenario whose endpoint never answered. */
export const TIMED_OUT = { ok: false, name: 'AuthenticationError', code: 'timeout', tag: 'Timeout' } as const

/** What a host run produced. */
export interface HostRun {
  readonly code: number | null
  readonly stderr: string
  readonly outcomes: Readonly<Record<string, RuntimeOutcome>>
}

/** How a script runtime hands the scenarios its environment and its file reader. */
export interface ScriptHost {
  /** The runner module to bundle from `test/runtimes/`, and the platform esbuild bundles it for. */
  readonly runner: 'scenarioRunner' | 'scenarioRunnerBun'
  readonly platform: 'neutral' | 'node'
  /** The expression of the host's environment (`Deno.env.toObject()`) and its reader's name. */
  readonly env: string
  readonly readFile: 'denoReadFile' | 'bunReadFile'
}

/**
 * Bundle the runner into `scratch`, write the emulator's CA beside it and a script that runs
 * `scenarios` with the host's environment and reader and prints their outcomes.
 */
export const writeHostRun = async (
  scratch: string,
  emu: Emulator,
  scenarios: ReadonlyArray<RuntimeScenario>,
  host: ScriptHost,
): Promise<{ readonly caFile: string; readonly script: string }> => {
  await bundleFetchIo(`test/runtimes/${host.runner}.ts`, join(scratch, `${host.runner}.mjs`), host.platform)
  const caFile = join(scratch, 'ca.pem')
  await writeFile(caFile, emu.caCertificatePem)
  const script = await writeScript(
    scratch,
    `scenarios-${host.runner}.mjs`,
    `import { ${host.readFile}, runScenarios } from './${host.runner}.mjs'
    const outcomes = await runScenarios(${JSON.stringify(scenarios)}, { env: ${host.env}, readFile: ${host.readFile} })
    console.log(JSON.stringify(outcomes))`,
  )
  return { caFile, script }
}

/** A host run as the runtime ended it: its outcomes are the last thing it printed. */
export const hostRunOf = ({ code, stdout, stderr }: Finished): HostRun => ({
  code,
  stderr,
  outcomes: code === 0 ? JSON.parse(stdout) : {},
})

/**
 * Register the tests of one runtime: `start` runs the scenarios once (in `beforeAll`), with the
 * host environment set to App Service's variables; `userAgent` says how that runtime's fetch
 * names itself, which shows the requests came from it.
 */
export const hostScenarioTests = (
  runtime: string,
  userAgent: RegExp,
  start: (emu: Emulator, scenarios: ReadonlyArray<RuntimeScenario>) => Promise<HostRun>,
): void => {
  const emulator = emulatorPerFile()
  let run: HostRun = { code: null, stderr: 'not run', outcomes: {} }
  let requests: ReadonlyArray<RecordedRequest> = []

  beforeAll(async () => {
    const emu = emulator()
    emu.script('AppService', [{ hang: true }])
    run = await start(emu, hostScenarios(emu))
    requests = emu.requests
  }, 120_000)

  const outcome = (name: string): RuntimeOutcome | undefined => run.outcomes[name]
  const tokenClaims = (name: string) => {
    const result = outcome(name)
    return claimsOf(result?.ok === true ? result.token : '')
  }
  const toEnvironment = (environment: RecordedRequest['environment']) =>
    requests.filter((request) => request.environment === environment)

  describe(`ManagedIdentityCredential on ${runtime}`, () => {
    it('ran every scenario and exited cleanly', () => {
      expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: '' })
      expect(Object.keys(run.outcomes)).toEqual(hostScenarios(emulator()).map((scenario) => scenario.name))
    })

    it(`sent its requests with ${runtime}'s own fetch`, () => {
      expect(requests.length).toBeGreaterThan(0)
      for (const request of requests) expect(request.headers['user-agent']).toMatch(userAgent)
    })

    it("App Service from the runtime's own environment: a token", () => {
      const emu = emulator()
      expect(outcome('app-service')).toMatchObject({ ok: true, tokenType: 'Bearer' })
      expect(tokenClaims('app-service')).toEqual({
        aud: RESOURCE,
        oid: emu.identities.system.objectId,
        appid: emu.identities.system.clientId,
      })
      const identityHeader = emu.env('AppService').IDENTITY_HEADER
      expect(toEnvironment('AppService').map((request) => request.headers['x-identity-header'])).toEqual([
        identityHeader,
        identityHeader,
      ])
    })

    it('App Service hanging: timeout', () => {
      expect(outcome('timeout')).toEqual(TIMED_OUT)
    })

    it.each([
      ['imds', 'Imds'],
      ['azure-ml', 'AzureML'],
      ['cloud-shell', 'CloudShell'],
    ] as const)('%s: a token', (name, environment) => {
      const emu = emulator()
      expect(outcome(name)).toMatchObject({ ok: true, tokenType: 'Bearer' })
      expect(tokenClaims(name)).toMatchObject({ aud: RESOURCE, oid: emu.identities.system.objectId })
      const [request, ...more] = toEnvironment(environment)
      expect(more).toEqual([])
      expect(request && (request.query.resource ?? formOf(request).resource)).toBe(RESOURCE)
    })

    it(`workload identity: the federated token read with ${runtime}'s readFile, sent over https`, () => {
      const emu = emulator()
      expect(tokenClaims('workload-identity')).toMatchObject({
        aud: RESOURCE,
        oid: emu.identities.user.objectId,
      })
      expect(tokenClaims('workload-identity-client-id')).toMatchObject({
        aud: RESOURCE,
        oid: emu.identities.system.objectId,
      })
      expect(toEnvironment('WorkloadIdentity').map(formOf)).toMatchObject([
        { client_id: emu.identities.user.clientId, grant_type: 'client_credentials' },
        { client_id: emu.identities.system.clientId, grant_type: 'client_credentials' },
      ])
    })

    it('workload identity without a readFile: unsupported_runtime (readFile)', () => {
      expect(outcome('workload-identity-without-readFile')).toEqual(lacking('readFile'))
    })

    it('Service Fabric: unsupported_runtime (tlsPinning), nothing sent', () => {
      expect(outcome('service-fabric')).toEqual(lacking('tlsPinning'))
      expect(toEnvironment('ServiceFabric')).toEqual([])
    })

    it.skipIf(!isLinuxRoot)(`Azure Arc: the key file read with ${runtime}'s readFile`, () => {
      const emu = emulator()
      expect(tokenClaims('azure-arc')).toMatchObject({ aud: RESOURCE, oid: emu.identities.system.objectId })
      expect(toEnvironment('AzureArc').map((request) => request.headers.authorization)).toEqual([
        undefined,
        expect.stringMatching(/^Basic \S+$/),
      ])
    })
  })
}

/** How to start a script runtime on the files {@link writeHostRun} wrote. */
export type HostCommand = (
  emu: Emulator,
  files: { readonly caFile: string; readonly script: string },
) => Promise<{
  readonly file: string
  readonly args: ReadonlyArray<string>
  readonly env: Record<string, string>
}>

/**
 * {@link hostScenarioTests} for a runtime that runs a script file (Deno, Bun): the scenarios
 * are written for `host` into a scratch directory of the test file and run by `command`.
 * Call at the top level of the file.
 */
export const scriptHostTests = (
  runtime: string,
  userAgent: RegExp,
  host: ScriptHost,
  command: HostCommand,
) => {
  const scratchDirectory = scratchDirectoryPerFile()
  hostScenarioTests(runtime, userAgent, async (emu, scenarios) => {
    const { file, args, env } = await command(
      emu,
      await writeHostRun(scratchDirectory(), emu, scenarios, host),
    )
    return hostRunOf(await run(file, args, 60_000, env))
  })
}
