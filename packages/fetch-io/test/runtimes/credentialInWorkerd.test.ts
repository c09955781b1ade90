/**
 * fetch-io's credential inside real workerd (through miniflare), calling the emulator on
 * 127.0.0.1. One workerd process serves one Worker per hosting environment; each Worker is the
 * same script, and its `fetch` handler hands its own `env` bindings — the emulator's variables
 * for that environment — to `ManagedIdentityCredential`, as a deployed Worker would.
 *
 * miniflare lets a Worker reach private addresses, loopback included (see runtimes.test.ts).
 */
import { join } from 'node:path'
import type { EnvironmentName } from '@azmi/emulator'
import { claimsOf, emulatorPerFile, formOf, RESOURCE, tokenRequests } from '@azmi/test-support'
import { Miniflare } from 'miniflare'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { bundleFetchIo, scratchDirectoryPerFile, writeScript } from '../support/runtimes.js'
import { lacking, TIMED_OUT } from './hostScenarios.js'
import type { RuntimeOutcome, RuntimeScenario } from './scenarioRunner.js'

const emulator = emulatorPerFile()
const scratchDirectory = scratchDirectoryPerFile()

/** The Worker: its environment is its bindings, its scenario the request body. */
const WORKER = `import { runScenario } from './runner.mjs'
export default {
  async fetch(request, env) {
    const scenario = await request.json()
    return Response.json(await runScenario(scenario, { env }))
  },
}
`

const ENVIRONMENTS = ['AppService', 'Imds', 'AzureML', 'CloudShell', 'ServiceFabric'] as const
const workerName = (environment: EnvironmentName): string => environment.toLowerCase()

let miniflare: Miniflare | undefined
beforeAll(async () => {
  const scratch = scratchDirectory()
  await bundleFetchIo('test/runtimes/scenarioRunner.ts', join(scratch, 'runner.mjs'))
  const scriptPath = await writeScript(scratch, 'worker.mjs', WORKER)
  const emu = emulator()
  miniflare = new Miniflare({
    workers: ENVIRONMENTS.map((environment) => ({
      name: workerName(environment),
      modules: true,
      // module names are paths relative to modulesRoot, and may not climb out of it
      modulesRoot: scratch,
      scriptPath,
      compatibilityDate: '2025-09-01',
      bindings: emu.env(environment),
      routes: [`${workerName(environment)}.test/*`],
    })),
  })
  await miniflare.ready
}, 120_000)
afterAll(() => miniflare?.dispose())

/** Send `scenario` to the Worker bound to `environment`'s variables (routed by host name); its outcome comes back. */
const inWorker = async (environment: EnvironmentName, scenario: RuntimeScenario): Promise<RuntimeOutcome> => {
  if (miniflare === undefined) throw new Error('workerd did not start')
  const response = await miniflare.dispatchFetch(`http://${workerName(environment)}.test/`, {
    method: 'POST',
    body: JSON.stringify(scenario),
  })
  return (await response.json()) as RuntimeOutcome
}

describe('ManagedIdentityCredential in workerd, environment from the Worker env bindings', () => {
  it.each(['AppService', 'Imds', 'AzureML', 'CloudShell'] as const)(
    '%s: a token for the system-assigned identity',
    async (environment) => {
      const emu = emulator()
      const outcome = await inWorker(environment, { name: environment })
      expect(outcome).toMatchObject({ ok: true, tokenType: 'Bearer' })
      const token = outcome.ok ? outcome.token : ''
      expect(claimsOf(token)).toEqual({
        aud: RESOURCE,
        oid: emu.identities.system.objectId,
        appid: emu.identities.system.clientId,
      })
      const [request, ...more] = tokenRequests(emu)
      expect(more).toEqual([])
      expect(request?.environment).toBe(environment)
      expect(request && (request.query.resource ?? formOf(request).resource)).toBe(RESOURCE)
    },
    60_000,
  )

  it('App Service with a hanging endpoint: the timeout fires inside the Worker', async () => {
    const emu = emulator()
    emu.script('AppService', [{ hang: true }])
    const outcome = await inWorker('AppService', {
      name: 'timeout',
      options: { timeoutMs: 300, retry: { maxRetries: 0 } },
    })
    expect(outcome).toEqual(TIMED_OUT)
    // The request did reach the endpoint: the timeout is fetch-io's, not a failure to connect.
    expect(tokenRequests(emu)).toMatchObject([{ environment: 'AppService' }])
  }, 60_000)

  it('Service Fabric: refused as unsupported_runtime (tlsPinning), nothing sent', async () => {
    const emu = emulator()
    const outcome = await inWorker('ServiceFabric', { name: 'service-fabric' })
    expect(outcome).toEqual(lacking('tlsPinning'))
    expect(emu.requests).toEqual([])
  }, 60_000)
})
