/**
 * The emulator behind the real test CONNECT proxy (`@azmi/test-support`), for the proxy
 * recipes (docs/protocol.md §1.6): workload identity's Entra ID endpoint is reached as
 * `https://login.test:PORT` (CONNECT, TLS end to end) and App Service as
 * `http://appservice.test:PORT` (absolute-form). Only the proxy resolves those names, so a
 * request that skips the proxy fails to resolve. IMDS stays at its loopback address: the real
 * one is link-local, and both kinds of host must reach the endpoint directly.
 */
import type { Emulator } from '@azmi/emulator'
import type { ConnectProxy } from '@azmi/test-support'
import { startConnectProxy } from '@azmi/test-support'
import { afterEach, expect } from 'vitest'

/** The names only the proxy resolves, each to 127.0.0.1 with the port asked for. */
export const PROXY_HOSTS = { 'login.test': '127.0.0.1', 'appservice.test': '127.0.0.1' } as const

/** The sources the recipes are run with: two behind the proxy, one that must never be. */
export type ProxiedSource = 'WorkloadIdentity' | 'AppService' | 'Imds'

/** `url` with its host name replaced by `name`, port and path kept. */
const renamed = (url: string | undefined, name: string): string => {
  const renaming = new URL(url ?? '')
  renaming.hostname = name
  return renaming.toString()
}

/** The variables that select `source`, with its endpoint named as the proxy knows it. */
export const proxiedEnv = (emu: Emulator, source: ProxiedSource): Record<string, string> => {
  switch (source) {
    case 'WorkloadIdentity': {
      const env = emu.env('WorkloadIdentity')
      return { ...env, AZURE_AUTHORITY_HOST: renamed(env.AZURE_AUTHORITY_HOST, 'login.test') }
    }
    case 'AppService': {
      const env = emu.env('AppService')
      return { ...env, IDENTITY_ENDPOINT: renamed(env.IDENTITY_ENDPOINT, 'appservice.test') }
    }
    case 'Imds':
      return { ...emu.env('Imds') }
  }
}

/** What the proxy must have been asked for `source`, as `ProxiedRequest`s to match. */
export const expectedProxyRequests = (
  emu: Emulator,
  source: ProxiedSource,
  httpVia: 'forward' | 'tunnel',
) => {
  const relayed = { hadProxyAuthorization: false, outcome: 'relayed' }
  switch (source) {
    case 'WorkloadIdentity':
      return [{ method: 'CONNECT', target: `login.test:${new URL(emu.tlsUrl).port}`, ...relayed }]
    case 'AppService': {
      const endpoint = new URL(proxiedEnv(emu, 'AppService').IDENTITY_ENDPOINT ?? '')
      return httpVia === 'tunnel'
        ? [{ method: 'CONNECT', target: endpoint.host, ...relayed }]
        : [{ method: 'GET', target: startingWith(`${endpoint.origin}${endpoint.pathname}?`), ...relayed }]
    }
    case 'Imds':
      return []
  }
}

const startingWith = (prefix: string) =>
  expect.stringMatching(new RegExp(`^${prefix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`))

/**
 * A `startProxy` for one test file: each proxy it starts resolves {@link PROXY_HOSTS} and is
 * closed after the test, so every test reads a record of its own.
 */
export const proxiesClosedAfterEach = (): (() => Promise<ConnectProxy>) => {
  const open: ConnectProxy[] = []
  afterEach(async () => {
    await Promise.all(open.splice(0).map((proxy) => proxy.close()))
  })
  return async () => {
    const proxy = await startConnectProxy({ hosts: PROXY_HOSTS })
    open.push(proxy)
    return proxy
  }
}
