/**
 * One batch of scenarios for a runtime that runs scripts (Deno, Bun): the runtime starts once,
 * runs them all through fetch-io's credential against the emulator and prints the outcomes;
 * the tests here then judge each outcome and the requests the emulator received.
 *
 * The host's own environment (`Deno.env.toObject()`, `Bun.env`) carries App Service's
 * variables, as a real App Service would; the other scenarios carry theirs.
 */
import type { Emulator, RecordedRequest } from '@azmi/emulator'
import { beforeAll, describe, expect, it } from 'vitest'
import { canServeArcKeys, claimsOf, emulatorPerFile, formOf, RESOURCE } from '../support/emulator.js'
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
  ...(canServeArcKeys
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

/** What a host run produced. */
export interface HostRun {
  readonly code: number | null
  readonly stderr: string
  readonly outcomes: Readonly<Record<string, RuntimeOutcome>>
}

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
      expect(outcome('timeout')).toEqual({
        ok: false,
        name: 'AuthenticationError',
        code: 'timeout',
        tag: 'Timeout',
      })
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
      expect(outcome('workload-identity-without-readFile')).toEqual({
        ok: false,
        name: 'CredentialUnavailableError',
        code: 'unsupported_runtime',
        tag: 'UnsupportedRuntime',
        capability: 'readFile',
      })
    })

    it('Service Fabric: unsupported_runtime (tlsPinning), nothing sent', () => {
      expect(outcome('service-fabric')).toEqual({
        ok: false,
        name: 'CredentialUnavailableError',
        code: 'unsupported_runtime',
        tag: 'UnsupportedRuntime',
        capability: 'tlsPinning',
      })
      expect(toEnvironment('ServiceFabric')).toEqual([])
    })

    it.skipIf(!canServeArcKeys)(`Azure Arc: the key file read with ${runtime}'s readFile`, () => {
      const emu = emulator()
      expect(tokenClaims('azure-arc')).toMatchObject({ aud: RESOURCE, oid: emu.identities.system.objectId })
      expect(toEnvironment('AzureArc').map((request) => request.headers.authorization)).toEqual([
        undefined,
        expect.stringMatching(/^Basic \S+$/),
      ])
    })
  })
}
