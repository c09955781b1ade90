/**
 * The contract between the two shells: the same scenario, run through node-io's credential
 * and through fetch-io's (on Node's fetch) against the same emulator, ends the same way — the
 * same token claims and type, or the same error `name`, `code`, `details._tag` and
 * classifying fields — after the same requests on the wire (method, path, query, identity
 * headers, form). The core decides; these tests show neither shell changes the decision.
 *
 * Where the shells legitimately differ, the test says so: Service Fabric needs certificate
 * pinning, which only node-io's transport can do.
 */
import type { Emulator } from '@azmi/emulator'
import { ManagedIdentityCredential as NodeCredential, nodePlatform, readRegularFile } from '@azmi/node-io'
import { afterAll, describe, expect, it } from 'vitest'
import { ManagedIdentityCredential as FetchCredential } from '../../src/index.js'
import { emulatorPerFile, fetchTrusting, SCOPE } from '../support/emulator.js'
import { describeOutcome, describeRequests } from './observe.js'
import type { Scenario } from './scenarios.js'
import { faultScenarios, successScenarios } from './scenarios.js'

const emulator = emulatorPerFile()

let trusting: ReturnType<typeof fetchTrusting> | undefined
afterAll(() => trusting?.close())

type Shell = 'node-io' | 'fetch-io'

/** One credential of `shell` for the scenario, and how to let go of it afterwards. */
const credentialOf = (shell: Shell, scenario: Scenario, emu: Emulator) => {
  const options = {
    env: emu.env(scenario.environment),
    ...scenario.identity?.(emu),
    ...scenario.options,
  }
  if (shell === 'node-io') {
    const credential = new NodeCredential({ ...options, ca: emu.caCertificatePem })
    return { credential, close: () => credential.close() }
  }
  trusting ??= fetchTrusting(emu.caCertificatePem)
  const credential = new FetchCredential({
    ...options,
    fetch: trusting.fetch,
    readFile: readRegularFile,
    platform: nodePlatform(),
  })
  return { credential, close: () => undefined }
}

/** Run the scenario through one shell, from a fresh fault script and an empty request log. */
const observe = async (shell: Shell, scenario: Scenario) => {
  const emu = emulator()
  emu.clearRequests()
  emu.script(scenario.environment, scenario.faults?.(emu) ?? [])
  const { credential, close } = credentialOf(shell, scenario, emu)
  try {
    const outcome = await describeOutcome(credential.getToken(SCOPE), Date.now())
    return { outcome, requests: describeRequests(emu) }
  } finally {
    close()
  }
}

const runBoth = async (scenario: Scenario) => {
  const viaNode = await observe('node-io', scenario)
  const viaFetch = await observe('fetch-io', scenario)
  expect(viaNode.outcome).toMatchObject(scenario.expected(emulator()))
  expect(viaNode.requests).toHaveLength(scenario.requests)
  expect(viaFetch).toEqual(viaNode)
}

describe('node-io and fetch-io agree on success, for every source both support', () => {
  it.each(successScenarios.filter((scenario) => scenario.skip !== true))('$name', runBoth)
})

describe('node-io and fetch-io agree on faults', () => {
  it.each(faultScenarios)('$name', runBoth)
})

describe('where they differ on purpose: Service Fabric', () => {
  const serviceFabric: Scenario = {
    name: 'Service Fabric',
    environment: 'ServiceFabric',
    expected: () => ({}),
    requests: 1,
  }

  it('node-io pins the cluster certificate and gets a token; plain fetch cannot pin, so fetch-io refuses unsent', async () => {
    const viaNode = await observe('node-io', serviceFabric)
    const viaFetch = await observe('fetch-io', serviceFabric)
    expect(viaNode.outcome).toMatchObject({ token: { tokenType: 'Bearer' } })
    expect(viaNode.requests).toMatchObject([{ environment: 'ServiceFabric', method: 'GET' }])
    expect(viaFetch).toEqual({
      outcome: {
        error: {
          name: 'CredentialUnavailableError',
          code: 'unsupported_runtime',
          tag: 'UnsupportedRuntime',
          capability: 'tlsPinning',
        },
      },
      requests: [],
    })
  })
})

describe('a connection closed before any reply byte: both shells say nothing answered', () => {
  // The fetch standard reports every network error before a response as one TypeError, so
  // fetch-io reports `connect`; node-io reports the same for a close before the reply began,
  // keeping `reset` for a reply that began and broke. The core then reads both alike.
  const dropped = (environment: 'AppService' | 'Imds'): Scenario => ({
    name: `${environment}: dropped before the headers`,
    environment,
    faults: () => [{ drop: 'before-headers' }],
    options: { retry: { maxRetries: 0 } },
    expected: () => ({}),
    requests: 1,
  })

  it('App Service: the same transport error, kind connect', async () => {
    const viaNode = await observe('node-io', dropped('AppService'))
    const viaFetch = await observe('fetch-io', dropped('AppService'))
    const expected = {
      error: { name: 'AuthenticationError', code: 'transport_error', tag: 'Transport', kind: 'connect' },
    }
    expect(viaNode.outcome).toEqual(expected)
    expect(viaFetch.outcome).toEqual(expected)
    expect(viaFetch.requests).toEqual(viaNode.requests)
  })

  it('IMDS: both report no IMDS at all (unavailable)', async () => {
    const viaNode = await observe('node-io', dropped('Imds'))
    const viaFetch = await observe('fetch-io', dropped('Imds'))
    const unavailable = {
      error: { name: 'CredentialUnavailableError', code: 'imds_unavailable', tag: 'ImdsUnavailable' },
    }
    expect(viaNode.outcome).toEqual(unavailable)
    expect(viaFetch.outcome).toEqual(unavailable)
    expect(viaFetch.requests).toEqual(viaNode.requests)
  })
})

describe('where they differ because fetch cannot tell', () => {
  it('an https endpoint signed by an unknown CA: kind tls (node-io) against connect (fetch-io)', async () => {
    const emu = emulator()
    const options = { env: emu.env('WorkloadIdentity'), retry: { maxRetries: 0 } }
    const nodeCredential = new NodeCredential(options)
    const viaNode = await describeOutcome(nodeCredential.getToken(SCOPE), Date.now()).finally(() =>
      nodeCredential.close(),
    )
    const fetchCredential = new FetchCredential({ ...options, readFile: readRegularFile })
    const viaFetch = await describeOutcome(fetchCredential.getToken(SCOPE), Date.now())
    const transportError = { name: 'AuthenticationError', code: 'transport_error', tag: 'Transport' }
    expect(viaNode).toEqual({ error: { ...transportError, kind: 'tls' } })
    expect(viaFetch).toEqual({ error: { ...transportError, kind: 'connect' } })
    expect(emu.requests).toEqual([])
  })
})
