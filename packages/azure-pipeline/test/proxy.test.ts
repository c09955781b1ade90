/**
 * The caller's proxy settings through the SDK's own proxy policy, against a real CONNECT proxy
 * that alone resolves `login.test` (to the emulator's Entra ID on 127.0.0.1): Entra ID goes
 * through it, local endpoints never do, and a proxy that refuses or is missing is `proxy`.
 */
import { createManagedIdentityClient, type Environment } from '@azmi/core'
import { type ConnectProxy, startConnectProxy } from '@azmi/test-support'
import { createDefaultHttpClient } from '@azure/core-rest-pipeline'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { type PipelineCapabilitiesOptions, pipelineCapabilities } from '../src/index.js'
import { emulatorPerFile, SCOPE, testReadFile } from './support.js'

const emulator = emulatorPerFile()
let proxy: ConnectProxy
let guarded: ConnectProxy
beforeAll(async () => {
  proxy = await startConnectProxy({ hosts: { 'login.test': '127.0.0.1' } })
  guarded = await startConnectProxy({
    hosts: { 'login.test': '127.0.0.1' },
    credentials: { username: 'user', password: 'pass' },
  })
})
afterAll(async () => {
  await proxy?.close()
  await guarded?.close()
})

/** The workload identity variables, with Entra ID under a name only the proxy resolves. */
const entraByName = (): Environment => {
  const env = emulator().env('WorkloadIdentity')
  return { ...env, AZURE_AUTHORITY_HOST: env.AZURE_AUTHORITY_HOST?.replace('127.0.0.1', 'login.test') }
}

const tokenWith = (env: Environment, options: PipelineCapabilitiesOptions) =>
  createManagedIdentityClient(
    { env, retry: { maxRetries: 0 } },
    pipelineCapabilities(createDefaultHttpClient(), { readFile: testReadFile, ...options }),
  ).getToken(SCOPE)

const via = (target: ConnectProxy, port = target.port) => ({
  proxySettings: { host: 'http://127.0.0.1', port },
})

describe('proxySettings', () => {
  test('Entra ID is reached through the proxy’s CONNECT tunnel, TLS end to end', async () => {
    const before = proxy.requests.length
    expect(await tokenWith(entraByName(), via(proxy))).toMatchObject({ right: { tokenType: 'Bearer' } })
    expect(proxy.requests.slice(before)).toEqual([
      expect.objectContaining({
        method: 'CONNECT',
        target: expect.stringMatching(/^login\.test:\d+$/),
        outcome: 'relayed',
      }),
    ])
  })

  test('loopback endpoints bypass the proxy whatever the settings say', async () => {
    const before = proxy.requests.length
    expect(await tokenWith(emulator().env('AppService'), via(proxy))).toMatchObject({ right: {} })
    expect(proxy.requests.length).toBe(before)
  })

  test('a host in noProxy is dialled directly (and login.test resolves nowhere else)', async () => {
    const before = proxy.requests.length
    const result = await tokenWith(entraByName(), { ...via(proxy), noProxy: ['login.test'] })
    expect(result).toMatchObject({ left: { code: 'transport_error', kind: 'connect' } })
    expect(proxy.requests.length).toBe(before)
  })

  test('a proxy that wants credentials (407), or none listening: transport kind proxy', async () => {
    expect(await tokenWith(entraByName(), via(guarded))).toMatchObject({
      left: { code: 'transport_error', kind: 'proxy' },
    })
    expect(guarded.requests.at(-1)).toMatchObject({ outcome: 'credentials-required' })
    expect(await tokenWith(entraByName(), via(proxy, 1))).toMatchObject({
      left: { code: 'transport_error', kind: 'proxy' },
    })
  })

  test('with the credentials in the settings, the tunnel opens', async () => {
    const settings = {
      proxySettings: { host: 'http://127.0.0.1', port: guarded.port, username: 'user', password: 'pass' },
    }
    expect(await tokenWith(entraByName(), settings)).toMatchObject({ right: {} })
    expect(guarded.requests.at(-1)).toMatchObject({ hadProxyAuthorization: true, outcome: 'relayed' })
  })
})
