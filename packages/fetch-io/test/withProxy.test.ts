/**
 * `withProxy` (docs/protocol.md §1.6) with a recording fetch injected in place of the
 * runtime's: the proxy's init reaches every request but those to loopback and link-local
 * hosts. The host rule is checked against a second interpretation, Node's `net.BlockList` over
 * the same blocks, for arbitrary addresses of both families in every spelling fast-check makes.
 * (The credential end to end, through a real proxy, is in proxies.test.ts and runtimes/.)
 */
import { BlockList, isIP } from 'node:net'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { isNeverProxied, withProxy } from '../src/withProxy.js'

const neverProxied = new BlockList()
neverProxied.addSubnet('127.0.0.0', 8, 'ipv4')
neverProxied.addSubnet('169.254.0.0', 16, 'ipv4')
neverProxied.addAddress('::1', 'ipv6')
neverProxied.addSubnet('fe80::', 10, 'ipv6')

/** The oracle: `BlockList` on the host the URL parser made of `url`. */
const inNeverProxiedBlock = (url: string): boolean => {
  const host = new URL(url).hostname.replace(/^\[(.*)\]$/, '$1')
  const family = isIP(host)
  return family !== 0 && neverProxied.check(host, family === 4 ? 'ipv4' : 'ipv6')
}

describe('isNeverProxied', () => {
  it.each([
    'http://169.254.169.254/metadata/identity/oauth2/token',
    'http://169.254.0.1/',
    'http://2852039166/',
    'http://0xa9.0xfe.0xa9.0xfe/',
    'http://[fe80::1]/',
    'http://[febf:ffff::1]/',
    'http://[::ffff:169.254.169.254]/',
    'http://127.0.0.1:41234/msi/token',
    'http://127.255.255.254/',
    'http://[::1]:8080/',
    'http://localhost:8081/msi/token',
    'http://LOCALHOST./',
    'http://agent.localhost/',
    'not a URL',
  ])('%s: direct', (url) => {
    expect(isNeverProxied(url)).toBe(true)
  })

  it.each([
    'https://login.microsoftonline.com/tenant/oauth2/v2.0/token',
    'https://login.test:8443/',
    'http://169.253.255.255/',
    'http://169.255.0.1/',
    'http://128.0.0.1/',
    'http://[fec0::1]/',
    'http://[fe7f::1]/',
    'http://[::2]/',
    'http://[::ffff:10.0.0.1]/',
    'http://localhost.example.com/',
    'http://notlocalhost/',
  ])('%s: through the proxy', (url) => {
    expect(isNeverProxied(url)).toBe(false)
  })

  it('agrees with BlockList for every IPv4 address, in any spelling the URL parser reads', () => {
    fc.assert(
      fc.property(fc.oneof(fc.ipV4(), fc.ipV4Extended()), (address) => {
        const url = `http://${address}/`
        expect(isNeverProxied(url)).toBe(inNeverProxiedBlock(url))
      }),
    )
  })

  it('agrees with BlockList for every IPv6 address, IPv4-mapped ones and those around fe80::/10 included', () => {
    const mapped = fc.ipV4().map((address) => `::ffff:${address}`)
    const group = fc.integer({ min: 0, max: 0xffff })
    const nearLinkLocal = fc
      .tuple(fc.integer({ min: 0xfe00, max: 0xfeff }), fc.array(group, { minLength: 7, maxLength: 7 }))
      .map((groups) =>
        groups
          .flat()
          .map((value) => value.toString(16))
          .join(':'),
      )
    fc.assert(
      fc.property(fc.oneof(fc.ipV6(), mapped, nearLinkLocal), (address) => {
        const url = `http://[${address}]/`
        expect(isNeverProxied(url)).toBe(inNeverProxiedBlock(url))
      }),
    )
  })

  it('sends every host name through the proxy but localhost and its subdomains', () => {
    fc.assert(
      fc.property(fc.domain(), (name) => {
        expect(isNeverProxied(`https://${name}/`)).toBe(name === 'localhost' || name.endsWith('.localhost'))
      }),
    )
  })
})

describe('withProxy', () => {
  const recordingFetch = () => {
    const calls: Array<{ input: unknown; init: RequestInit | undefined }> = []
    const fetchImpl = async (input: unknown, init?: RequestInit) => {
      calls.push({ input, init })
      return new Response('{}')
    }
    return { calls, fetch: fetchImpl as typeof fetch }
  }
  const proxyInit = { dispatcher: { a: 'proxy agent' } }

  const inputs = (url: string) => [url, new URL(url), new Request(url)] as const

  it.each(inputs('https://login.test:8443/tenant/oauth2/v2.0/token'))(
    'adds the proxy init to a request for Entra ID (%s), keeping the init it came with',
    async (input) => {
      const recording = recordingFetch()
      const init = { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' } }
      await withProxy(recording.fetch, proxyInit)(input, init)
      expect(recording.calls).toEqual([{ input, init: { ...init, ...proxyInit } }])
    },
  )

  it.each(inputs('http://169.254.169.254/metadata/identity/oauth2/token'))(
    'passes a request for IMDS (%s) on unchanged',
    async (input) => {
      const recording = recordingFetch()
      await withProxy(recording.fetch, proxyInit)(input)
      expect(recording.calls).toEqual([{ input, init: undefined }])
    },
  )

  it('adds the proxy init exactly when the host may be proxied', async () => {
    const host = fc.oneof(
      fc.domain(),
      fc.ipV4(),
      fc.ipV6().map((address) => `[${address}]`),
    )
    await fc.assert(
      fc.asyncProperty(host, fc.constantFrom('http', 'https'), async (name, scheme) => {
        const url = `${scheme}://${name}/token`
        const recording = recordingFetch()
        await withProxy(recording.fetch, proxyInit)(url, { method: 'GET' })
        const expected = isNeverProxied(url) ? { method: 'GET' } : { method: 'GET', ...proxyInit }
        expect(recording.calls).toEqual([{ input: url, init: expected }])
      }),
    )
  })
})
