/**
 * The Node proxy recipes of the README, in this process (docs/protocol.md §1.6): Node's own
 * fetch (undici, bundled) with a `dispatcher` from the `undici` package, wrapped by
 * `withProxy`, against the emulator behind the real test CONNECT proxy. Workload identity goes
 * through a CONNECT tunnel with TLS checked end to end, App Service through absolute-form
 * forwarding, and IMDS (loopback here, link-local in Azure: the same rule) never touches the
 * proxy. The controls show why the recipes read as they do: without `withProxy` IMDS reaches
 * the proxy, undici's own `fetch` cannot take the `Request` fetch-io hands it, and undici's
 * `NO_PROXY` matches addresses as names, not CIDR blocks.
 */
import { readRegularFile } from '@azmi/node-io'
import { claimsOf, emulatorPerFile, RESOURCE, SCOPE, tokenRequests } from '@azmi/test-support'
import type { Dispatcher } from 'undici'
import { EnvHttpProxyAgent, ProxyAgent, fetch as undiciFetch } from 'undici'
import { afterEach, describe, expect, it } from 'vitest'
import { ManagedIdentityCredential, withProxy } from '../src/index.js'
import type { ProxiedSource } from './support/proxiedEmulator.js'
import { expectedProxyRequests, proxiedEnv, proxiesClosedAfterEach } from './support/proxiedEmulator.js'

const emulator = emulatorPerFile()
const startProxy = proxiesClosedAfterEach()

const dispatchers: Dispatcher[] = []
afterEach(async () => {
  await Promise.all(dispatchers.splice(0).map((dispatcher) => dispatcher.close()))
})
const closedAfterTest = <D extends Dispatcher>(dispatcher: D): D => {
  dispatchers.push(dispatcher)
  return dispatcher
}

/** One `getToken` with `fetch`, one attempt: a request that cannot get through fails at once. */
const tokenFor = (source: ProxiedSource, fetchImpl: typeof fetch) =>
  new ManagedIdentityCredential({
    env: proxiedEnv(emulator(), source),
    fetch: fetchImpl,
    readFile: readRegularFile,
    retry: { maxRetries: 0 },
  }).getToken(SCOPE)

describe('Node: withProxy(fetch, { dispatcher: new ProxyAgent(...) })', () => {
  const recipe = async () => {
    const proxy = await startProxy()
    // requestTls: this process was not started with NODE_EXTRA_CA_CERTS naming the test CA
    const dispatcher = closedAfterTest(
      new ProxyAgent({ uri: proxy.url, proxyTunnel: false, requestTls: { ca: emulator().caCertificatePem } }),
    )
    return { proxy, fetch: withProxy(fetch, { dispatcher }) }
  }

  it.each([
    ['WorkloadIdentity', 'a CONNECT tunnel to login.test, TLS checked end to end'],
    ['AppService', 'an absolute-form GET of http://appservice.test'],
    ['Imds', 'nothing: IMDS is reached directly'],
  ] as const)('%s: a token; the proxy saw %s', async (source, _seen) => {
    const emu = emulator()
    const { proxy, fetch: proxyingFetch } = await recipe()
    const { token } = await tokenFor(source, proxyingFetch)
    expect(claimsOf(token)).toMatchObject({ aud: RESOURCE })
    expect(proxy.requests).toEqual(expectedProxyRequests(emu, source, 'forward'))
    expect(tokenRequests(emu).map((request) => request.environment)).toEqual([source])
  })

  it('control: the same dispatcher on every request sends IMDS to the proxy', async () => {
    const emu = emulator()
    const { proxy } = await recipe()
    const dispatcher = closedAfterTest(new ProxyAgent({ uri: proxy.url, proxyTunnel: false }))
    await tokenFor('Imds', (input, init) => fetch(input, { ...init, dispatcher } as RequestInit))
    const imds = new URL(proxiedEnv(emu, 'Imds').AZURE_POD_IDENTITY_AUTHORITY_HOST ?? '')
    expect(proxy.requests).toMatchObject([
      {
        method: 'GET',
        target: expect.stringContaining(`${imds.origin}${imds.pathname}/`),
        outcome: 'relayed',
      },
    ])
  })

  it('control: without the proxy, login.test does not resolve', async () => {
    const emu = emulator()
    const { proxy } = await recipe()
    await expect(tokenFor('WorkloadIdentity', fetch)).rejects.toMatchObject({
      code: 'transport_error',
      details: { kind: 'connect' },
    })
    expect(proxy.requests).toEqual([])
    expect(tokenRequests(emu)).toEqual([])
  })

  it("control: undici's own fetch cannot take the Request that fetch-io hands it", async () => {
    const { proxy } = await recipe()
    const dispatcher = closedAfterTest(new ProxyAgent({ uri: proxy.url }))
    // It reads a Request of Node's bundled undici as the URL "[object Request]" and throws.
    const ownFetch = (input: Parameters<typeof fetch>[0], init?: RequestInit) =>
      undiciFetch(input as Parameters<typeof undiciFetch>[0], { ...init, dispatcher } as never) as never
    await expect(tokenFor('AppService', ownFetch)).rejects.toMatchObject({ code: 'transport_error' })
    expect(proxy.requests).toEqual([])
  })
})

describe("Node: undici's EnvHttpProxyAgent and NO_PROXY", () => {
  const envAgent = async (noProxy: string) => {
    const proxy = await startProxy()
    // The options stand for HTTP_PROXY, HTTPS_PROXY and NO_PROXY, which it otherwise reads
    // from process.env when it is made (the README example is run that way, in runtimes.proxies).
    const dispatcher = closedAfterTest(
      new EnvHttpProxyAgent({ httpProxy: proxy.url, httpsProxy: proxy.url, noProxy }),
    )
    return { proxy, dispatcher }
  }

  it('App Service: tunnelled (EnvHttpProxyAgent uses CONNECT for http too)', async () => {
    const emu = emulator()
    const { proxy, dispatcher } = await envAgent('169.254.169.254')
    const { token } = await tokenFor('AppService', withProxy(fetch, { dispatcher }))
    expect(claimsOf(token)).toMatchObject({ aud: RESOURCE })
    expect(proxy.requests).toEqual(expectedProxyRequests(emu, 'AppService', 'tunnel'))
  })

  it('an address listed in NO_PROXY is reached directly, even without withProxy', async () => {
    const { proxy, dispatcher } = await envAgent('localhost,127.0.0.1,169.254.169.254')
    await tokenFor('Imds', (input, init) => fetch(input, { ...init, dispatcher } as RequestInit))
    expect(proxy.requests).toEqual([])
  })

  it('a CIDR block in NO_PROXY is not honoured: list the addresses themselves', async () => {
    const { proxy, dispatcher } = await envAgent('127.0.0.0/8,169.254.0.0/16')
    await tokenFor('Imds', (input, init) => fetch(input, { ...init, dispatcher } as RequestInit))
    expect(proxy.requests).toMatchObject([{ method: 'CONNECT', outcome: 'relayed' }])
  })
})
