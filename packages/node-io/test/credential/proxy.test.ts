/**
 * The credential behind an HTTP proxy (docs/protocol.md §1.6), end to end over real sockets:
 * the emulator's endpoints are reached by names only the test proxy resolves, so a request that
 * skipped the proxy fails to resolve and the test sees it. Workload identity's Entra ID exchange
 * goes through a CONNECT tunnel with TLS verified end to end, App Service through absolute-form
 * forwarding, Service Fabric's pin is checked inside the tunnel; IMDS and loopback endpoints
 * never touch the proxy, whatever the variables say.
 */
import type { ConnectProxy, ConnectProxyOptions } from '@azmi/test-support'
import { emulatorPerFile, requestsTo, resourcesPerTest, SCOPE, startConnectProxy } from '@azmi/test-support'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import type { LogEvent, NodeCredentialOptions } from '../../src/index.js'
import { ManagedIdentityCredential } from '../../src/index.js'
import type { ThrowawayPki } from '../support/throwawayPki.js'
import { createThrowawayPki } from '../support/throwawayPki.js'
import type { TlsFront } from '../support/tlsFront.js'
import { startTlsFront } from '../support/tlsFront.js'

/**
 * The emulator's Entra ID certificate names only localhost and 127.0.0.1, so `login.test` is
 * served by a TLS front with a certificate of its own that relays to the emulator().
 */
const emulator = emulatorPerFile()
let pki: ThrowawayPki
let entraFront: TlsFront
beforeAll(async () => {
  pki = createThrowawayPki('azmi login.test CA')
  const entraPort = Number(new URL(emulator().tlsUrl).port)
  entraFront = await startTlsFront(pki.issue(['login.test']), entraPort, emulator().caCertificatePem)
})
afterAll(async () => {
  await entraFront.close()
  pki.remove()
})

const resources = resourcesPerTest()

const HOSTS = { 'login.test': '127.0.0.1', 'appservice.test': '127.0.0.1', 'servicefabric.test': '127.0.0.1' }

const startProxy = async (options: ConnectProxyOptions = {}): Promise<ConnectProxy> =>
  resources.closing(await startConnectProxy({ hosts: HOSTS, ...options }))

/** `url` with its host replaced by `name`, the port kept. */
const renamed = (url: string, name: string): string => {
  const renaming = new URL(url)
  renaming.hostname = name
  return renaming.toString().replace(/\/$/, url.endsWith('/') ? '/' : '')
}

const workloadIdentityEnv = (): Record<string, string> => {
  const env = emulator().env('WorkloadIdentity')
  const authority = new URL(env.AZURE_AUTHORITY_HOST ?? '')
  return { ...env, AZURE_AUTHORITY_HOST: `https://login.test:${entraFront.port}${authority.pathname}` }
}
const appServiceEnv = (): Record<string, string> => {
  const env = emulator().env('AppService')
  return { ...env, IDENTITY_ENDPOINT: renamed(env.IDENTITY_ENDPOINT ?? '', 'appservice.test') }
}
const serviceFabricEnv = (): Record<string, string> => {
  const env = emulator().env('ServiceFabric')
  return { ...env, IDENTITY_ENDPOINT: renamed(env.IDENTITY_ENDPOINT ?? '', 'servicefabric.test') }
}

/** A credential that fails fast: one attempt, so a refused proxy is not retried for seconds. */
const credential = (options: NodeCredentialOptions & { readonly env: Record<string, string> }) =>
  new ManagedIdentityCredential({ retry: { maxRetries: 0 }, ca: pki.caPem, ...options })

const proxyFailure = { name: 'AuthenticationError', code: 'transport_error', details: { kind: 'proxy' } }

/** A token for `env` with a proxy of its own in `variable`; the proxy, to see what it was asked. */
const tokenThroughProxy = async (env: Record<string, string>, variable: 'HTTPS_PROXY' | 'HTTP_PROXY') => {
  const proxy = await startProxy()
  const proxied = { ...env, [variable]: proxy.url }
  await expect(credential({ env: proxied }).getToken(SCOPE)).resolves.toMatchObject({ tokenType: 'Bearer' })
  return proxy
}

describe('through the proxy', () => {
  test('workload identity`s Entra ID exchange goes through CONNECT, with TLS checked end to end', async () => {
    const proxy = await tokenThroughProxy(workloadIdentityEnv(), 'HTTPS_PROXY')
    expect(proxy.requests).toEqual([
      {
        method: 'CONNECT',
        target: `login.test:${entraFront.port}`,
        hadProxyAuthorization: false,
        outcome: 'relayed',
      },
    ])
    expect(requestsTo(emulator(), 'WorkloadIdentity')).toHaveLength(1)
  })

  test('App Service goes through in absolute form', async () => {
    const env = appServiceEnv()
    const proxy = await tokenThroughProxy(env, 'HTTP_PROXY')
    expect(proxy.requests).toMatchObject([{ method: 'GET', outcome: 'relayed' }])
    expect(proxy.requests[0]?.target).toMatch(/^http:\/\/appservice\.test:\d+\/.*\?/)
    const [received] = requestsTo(emulator(), 'AppService')
    expect(env.IDENTITY_HEADER).toEqual(expect.any(String))
    expect(received?.headers['x-identity-header']).toBe(env.IDENTITY_HEADER)
  })

  test('without the proxy the same endpoints do not resolve (so the tests above did use it)', async () => {
    const proxy = await startProxy()
    const env = { ...workloadIdentityEnv(), HTTPS_PROXY: proxy.url }
    await expect(credential({ env, proxy: false }).getToken(SCOPE)).rejects.toMatchObject({
      code: 'transport_error',
      details: { kind: 'connect' },
    })
    expect(proxy.requests).toEqual([])
  })

  test('the proxy option replaces the variables', async () => {
    const proxy = await startProxy()
    await expect(
      credential({ env: appServiceEnv(), proxy: proxy.url }).getToken(SCOPE),
    ).resolves.toMatchObject({
      tokenType: 'Bearer',
    })
    expect(proxy.requests).toHaveLength(1)
  })
})

describe('never through the proxy', () => {
  test('IMDS (here its pod-identity host on 127.0.0.1), even with every proxy variable set', async () => {
    const proxy = await startProxy()
    const env = {
      ...emulator().env('Imds'),
      HTTPS_PROXY: proxy.url,
      HTTP_PROXY: proxy.url,
      http_proxy: proxy.url,
    }
    await expect(credential({ env }).getToken(SCOPE)).resolves.toMatchObject({ tokenType: 'Bearer' })
    expect(proxy.requests).toEqual([])
    expect(requestsTo(emulator(), 'Imds').length).toBeGreaterThan(0)
  })

  test('any loopback endpoint, even with an explicit proxy option', async () => {
    const proxy = await startProxy()
    const env = emulator().env('AppService')
    await expect(credential({ env, proxy: proxy.url }).getToken(SCOPE)).resolves.toMatchObject({
      tokenType: 'Bearer',
    })
    expect(proxy.requests).toEqual([])
  })

  test('hosts NO_PROXY names: the request goes direct and, here, fails to resolve', async () => {
    const proxy = await startProxy()
    const env = { ...appServiceEnv(), HTTP_PROXY: proxy.url, NO_PROXY: '.test' }
    await expect(credential({ env }).getToken(SCOPE)).rejects.toMatchObject({ details: { kind: 'connect' } })
    expect(proxy.requests).toEqual([])
  })
})

describe('proxy credentials', () => {
  const PASSWORD = 'hunter2:p@ss/wörd'

  test('a proxy that wants them gets a proxy failure without them', async () => {
    const proxy = await startProxy({ credentials: { username: 'azmi', password: PASSWORD } })
    const env = { ...workloadIdentityEnv(), HTTPS_PROXY: proxy.url }
    const failed = credential({ env }).getToken(SCOPE)
    await expect(failed).rejects.toMatchObject(proxyFailure)
    await expect(failed).rejects.toThrow(`The proxy at 127.0.0.1:${proxy.port} asks for credentials (407)`)
    expect(requestsTo(emulator(), 'WorkloadIdentity')).toHaveLength(0)
  })

  test('with them in the proxy URL the token comes, and the password is in no log event or error', async () => {
    const proxy = await startProxy({ credentials: { username: 'azmi', password: PASSWORD } })
    const events: LogEvent[] = []
    const good = { ...workloadIdentityEnv(), HTTPS_PROXY: proxy.urlWith('azmi', PASSWORD) }
    await expect(
      credential({ env: good, logger: (event) => events.push(event) }).getToken(SCOPE),
    ).resolves.toMatchObject({
      tokenType: 'Bearer',
    })
    expect(proxy.requests).toMatchObject([
      { method: 'CONNECT', hadProxyAuthorization: true, outcome: 'relayed' },
    ])
    const wrong = { ...appServiceEnv(), HTTP_PROXY: proxy.urlWith('azmi', `${PASSWORD}!`) }
    const error = await credential({ env: wrong, logger: (event) => events.push(event) })
      .getToken(SCOPE)
      .catch((thrown: unknown) => thrown)
    expect(error).toMatchObject(proxyFailure)
    const shown = JSON.stringify([events, error, String(error), (error as Error).stack])
    for (const spelling of [
      PASSWORD,
      encodeURIComponent(PASSWORD),
      'hunter2',
      Buffer.from(`azmi:${PASSWORD}`).toString('base64'),
    ]) {
      expect(shown).not.toContain(spelling)
    }
  })
})

describe('a proxy that refuses or is not there', () => {
  test('a refused CONNECT is a transport_error of kind proxy, naming only the proxy', async () => {
    const proxy = await startProxy({ connect: 'refuse' })
    const env = { ...workloadIdentityEnv(), HTTPS_PROXY: proxy.urlWith('user', 'hunter2') }
    const failed = credential({ env }).getToken(SCOPE)
    await expect(failed).rejects.toMatchObject({ ...proxyFailure, source: 'WorkloadIdentity' })
    const message = await failed.catch((thrown: Error) => thrown.message)
    expect(message).toContain(`The proxy at 127.0.0.1:${proxy.port} refused the tunnel (status 403)`)
    expect(message).not.toContain('hunter2')
    expect(message).not.toContain('user')
  })

  test('an unreachable proxy is a transport_error of kind proxy too', async () => {
    const proxy = await startProxy()
    const gone = proxy.url
    await proxy.close()
    const env = { ...workloadIdentityEnv(), HTTPS_PROXY: gone }
    await expect(credential({ env }).getToken(SCOPE)).rejects.toMatchObject(proxyFailure)
    const app = { ...appServiceEnv(), HTTP_PROXY: gone }
    await expect(credential({ env: app }).getToken(SCOPE)).rejects.toMatchObject(proxyFailure)
  })

  test('an unusable proxy URL names its variable and never its value', async () => {
    const env = { ...workloadIdentityEnv(), https_proxy: 'socks5://user:hunter2@proxy.corp:1080' }
    const failed = credential({ env }).getToken(SCOPE)
    await expect(failed).rejects.toMatchObject(proxyFailure)
    const message = await failed.catch((thrown: Error) => thrown.message)
    expect(message).toContain('https_proxy is not a usable proxy URL')
    expect(message).not.toContain('hunter2')
  })
})

describe('Service Fabric pinning inside the tunnel', () => {
  test('the right thumbprint works through the proxy', async () => {
    const proxy = await tokenThroughProxy(serviceFabricEnv(), 'HTTPS_PROXY')
    expect(proxy.requests).toMatchObject([
      { method: 'CONNECT', target: expect.stringMatching(/^servicefabric\.test:\d+$/) },
    ])
    expect(requestsTo(emulator(), 'ServiceFabric')).toHaveLength(1)
  })

  test('a certificate without the pinned thumbprint is still refused, and nothing is sent', async () => {
    const proxy = await startProxy()
    const env: Record<string, string> = { ...serviceFabricEnv(), HTTPS_PROXY: proxy.url }
    emulator().useServiceFabricCertificate('alternate')
    const failed = credential({ env }).getToken(SCOPE)
    await expect(failed).rejects.toMatchObject({ code: 'certificate_mismatch', source: 'ServiceFabric' })
    expect(env.IDENTITY_HEADER).toEqual(expect.any(String))
    expect(JSON.stringify(await failed.catch((thrown: unknown) => thrown))).not.toContain(env.IDENTITY_HEADER)
    // the tunnel was opened (the proxy relayed it) and the handshake inside it refused
    expect(proxy.requests).toMatchObject([{ method: 'CONNECT', outcome: 'relayed' }])
    expect(requestsTo(emulator(), 'ServiceFabric')).toHaveLength(0)
  })
})
