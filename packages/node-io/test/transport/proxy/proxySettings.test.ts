import fc from 'fast-check'
import { describe, expect, it, test } from 'vitest'
import type { ProxyConfiguration } from '../../../src/transport/proxy/proxySettings.js'
import { proxyFor, resolveProxySettings } from '../../../src/transport/proxy/proxySettings.js'

const route = (configuration: ProxyConfiguration, url: string) =>
  proxyFor(resolveProxySettings(configuration), new URL(url))

const through = (label: string) => ({ _tag: 'Right', right: expect.objectContaining({ label }) })
const direct = { _tag: 'Right', right: undefined }
const unusable = { _tag: 'Left', left: { _tag: 'TransportFailure', kind: 'proxy' } }

const basic = (credentials: string) => `Basic ${Buffer.from(credentials, 'utf8').toString('base64')}`

describe('which variable applies', () => {
  const env = { HTTPS_PROXY: 'http://secure.proxy:1', HTTP_PROXY: 'http://plain.proxy:2' }

  it('https: URLs use HTTPS_PROXY, http: URLs HTTP_PROXY', () => {
    expect(route({ env }, 'https://login.example.com/t')).toMatchObject(through('secure.proxy:1'))
    expect(route({ env }, 'http://appservice.example.com/t')).toMatchObject(through('plain.proxy:2'))
  })

  it('the lower-case spelling wins when both are set', () => {
    const both = { ...env, https_proxy: 'http://lower.proxy:3', http_proxy: 'http://lower.proxy:4' }
    expect(route({ env: both }, 'https://login.example.com/')).toMatchObject(through('lower.proxy:3'))
    expect(route({ env: both }, 'http://login.example.com/')).toMatchObject(through('lower.proxy:4'))
  })

  it('an empty value counts as unset', () => {
    const emptyLower = { ...env, https_proxy: '' }
    expect(route({ env: emptyLower }, 'https://login.example.com/')).toMatchObject(through('secure.proxy:1'))
    expect(route({ env: { HTTPS_PROXY: '' } }, 'https://login.example.com/')).toEqual(direct)
  })

  it('an https: URL never falls back to HTTP_PROXY (nor http: to HTTPS_PROXY)', () => {
    expect(route({ env: { HTTP_PROXY: env.HTTP_PROXY } }, 'https://login.example.com/')).toEqual(direct)
    expect(route({ env: { HTTPS_PROXY: env.HTTPS_PROXY } }, 'http://login.example.com/')).toEqual(direct)
  })

  it('no_proxy wins over NO_PROXY too', () => {
    const exempted = { ...env, NO_PROXY: 'other.com', no_proxy: 'example.com' }
    expect(route({ env: exempted }, 'https://login.example.com/')).toEqual(direct)
  })

  it('with no configuration at all nothing is proxied', () => {
    expect(route({}, 'https://login.example.com/')).toEqual(direct)
  })
})

describe('the proxy option', () => {
  const env = { HTTPS_PROXY: 'http://from.env:1', NO_PROXY: 'exempt.example.com' }

  it('a URL replaces the variables, for both schemes', () => {
    expect(route({ env, proxy: 'http://option.proxy:9' }, 'https://login.example.com/')).toMatchObject(
      through('option.proxy:9'),
    )
    expect(route({ env, proxy: 'http://option.proxy:9' }, 'http://login.example.com/')).toMatchObject(
      through('option.proxy:9'),
    )
  })

  it('false turns every proxy off', () => {
    expect(route({ env, proxy: false }, 'https://login.example.com/')).toEqual(direct)
  })

  it('NO_PROXY still exempts hosts from an explicit proxy', () => {
    expect(route({ env, proxy: 'http://option.proxy:9' }, 'https://exempt.example.com/')).toEqual(direct)
  })

  it('anything but a string or false, from JavaScript, is an unusable proxy', () => {
    const configuration = { env, proxy: 42 } as unknown as ProxyConfiguration
    expect(route(configuration, 'https://login.example.com/')).toMatchObject(unusable)
  })
})

describe('proxy URLs', () => {
  const endpoint = (proxy: string) => {
    const routed = route({ proxy }, 'https://login.example.com/')
    return routed._tag === 'Right' ? routed.right : routed.left
  }

  it('a URL without a scheme is http://, and without a port uses 80', () => {
    expect(endpoint('proxy.corp:3128')).toEqual({
      host: 'proxy.corp',
      port: 3128,
      label: 'proxy.corp:3128',
      authorization: undefined,
    })
    expect(endpoint('http://proxy.corp')).toMatchObject({ port: 80, label: 'proxy.corp:80' })
  })

  it('an IPv6 proxy is connected to without brackets and named with them', () => {
    expect(endpoint('http://[fd00::1]:8080')).toMatchObject({ host: 'fd00::1', label: '[fd00::1]:8080' })
  })

  it('userinfo becomes Proxy-Authorization: Basic, percent-decoded', () => {
    expect(endpoint('http://us%40er:p%3Ass%20w@proxy.corp:3128')).toMatchObject({
      authorization: basic('us@er:p:ss w'),
      label: 'proxy.corp:3128',
    })
    expect(endpoint('http://user@proxy.corp:3128')).toMatchObject({ authorization: basic('user:') })
  })

  it.each([
    ['an https:// proxy', 'https://user:hunter2@proxy.corp:443', 'https:// proxies are not supported'],
    ['a SOCKS proxy', 'socks5://user:hunter2@proxy.corp:1080', 'only http:// proxies'],
    ['no host', 'http://user:hunter2@', 'not a URL with a host'],
    ['not a URL', 'http://user:hunter2@proxy corp', 'not a URL with a host'],
    ['credentials that are not percent-encoding', 'http://user:hunter2%zz@proxy.corp', 'percent-encoding'],
  ])('%s is unusable, named by its variable, and its value never shown', (_case, value, why) => {
    const routed = route({ env: { https_proxy: value } }, 'https://login.example.com/')
    expect(routed).toMatchObject(unusable)
    const detail = routed._tag === 'Left' ? routed.left.detail : ''
    expect(detail).toContain('https_proxy')
    expect(detail).toContain(why)
    expect(detail).not.toContain('hunter2')
    expect(detail).not.toContain('user')
  })

  it('an unusable proxy fails only the requests that would have used it', () => {
    const env = { HTTPS_PROXY: 'socks5://proxy.corp', NO_PROXY: 'exempt.example.com' }
    expect(route({ env }, 'https://login.example.com/')).toMatchObject(unusable)
    expect(route({ env }, 'https://exempt.example.com/')).toEqual(direct)
    expect(route({ env }, 'http://169.254.169.254/metadata/identity/oauth2/token')).toEqual(direct)
    expect(route({ env }, 'https://127.0.0.1:8443/')).toEqual(direct)
    expect(route({ env }, 'http://login.example.com/')).toEqual(direct)
  })
})

const anyValue = fc.oneof(
  fc.constant(undefined),
  fc.constant(''),
  fc.constant('http://proxy.corp:3128'),
  fc.constant('http://user:pass@proxy.corp'),
  fc.constant('socks5://proxy.corp'),
  fc.string(),
)
const proxyEnvironment = fc.record({
  HTTPS_PROXY: anyValue,
  https_proxy: anyValue,
  HTTP_PROXY: anyValue,
  http_proxy: anyValue,
  NO_PROXY: anyValue,
  no_proxy: anyValue,
})
const option = fc.oneof(fc.constant(undefined), fc.constant(false as const), fc.string())

const neverProxiedHost = fc.oneof(
  fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255)).map(([a, b, c]) => `127.${a}.${b}.${c}`),
  fc.tuple(fc.nat(255), fc.nat(255)).map(([a, b]) => `169.254.${a}.${b}`),
  fc.constantFrom(
    '[::1]',
    '[fe80::1]',
    '[fe80::a9fe:a9fe]',
    '[febf::1]',
    '[::ffff:127.0.0.1]',
    '[::ffff:169.254.169.254]',
  ),
  fc.constantFrom('localhost', 'LocalHost', 'token.localhost', 'a.b.localhost'),
)

describe('proxy properties', () => {
  test('loopback and link-local hosts are never proxied, whatever the variables and the option say', () => {
    fc.assert(
      fc.property(
        proxyEnvironment,
        option,
        neverProxiedHost,
        fc.constantFrom('http', 'https'),
        (env, proxy, host, scheme) => {
          const configuration = proxy === undefined ? { env } : { env, proxy }
          expect(route(configuration, `${scheme}://${host}:8080/metadata/identity/oauth2/token`)).toEqual(
            direct,
          )
        },
      ),
    )
  })

  test('NO_PROXY=* sends everything direct', () => {
    fc.assert(
      fc.property(
        proxyEnvironment,
        fc.webUrl(),
        fc.constantFrom('*', ' * ', 'a.com,*', '*,10.0.0.0/8'),
        (env, url, noProxy) => {
          expect(route({ env: { ...env, no_proxy: noProxy } }, url)).toEqual(direct)
        },
      ),
    )
  })

  test('the decision is a total function: it never throws, and a failure is always a proxy failure', () => {
    fc.assert(
      fc.property(proxyEnvironment, option, fc.webUrl(), (env, proxy, url) => {
        const routed = route(proxy === undefined ? { env } : { env, proxy }, url)
        if (routed._tag === 'Left') expect(routed.left.kind).toBe('proxy')
      }),
    )
  })

  test('a failure never shows the credentials of the proxy URL', () => {
    const secret = fc.stringMatching(/^[A-Za-z0-9]{8,16}$/)
    fc.assert(
      fc.property(secret, fc.constantFrom('https', 'socks5', 'ftp', ''), (password, scheme) => {
        const value = `${scheme === '' ? '' : `${scheme}://`}user:${password}@`
        const routed = route({ env: { HTTPS_PROXY: value } }, 'https://login.example.com/')
        expect(JSON.stringify(routed)).not.toContain(password)
      }),
    )
  })
})
