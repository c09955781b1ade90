import { BlockList } from 'node:net'
import fc from 'fast-check'
import { describe, expect, it, test } from 'vitest'
import { isNeverProxied } from '../../../src/transport/proxy/hostAddress.js'
import { matchesNoProxy, parseNoProxy } from '../../../src/transport/proxy/noProxy.js'

const exempt = (noProxy: string, host: string, port = 443): boolean =>
  matchesNoProxy(parseNoProxy(noProxy), host, port)

describe('hosts that are never proxied', () => {
  it.each([
    '127.0.0.1',
    '127.255.3.4',
    '::1',
    '[::1]',
    '0:0:0:0:0:0:0:1',
    '::ffff:7f00:1',
    '::ffff:127.0.0.1',
    'localhost',
    'LOCALHOST.',
    'token.localhost',
    '169.254.169.254',
    '169.254.0.1',
    '::ffff:a9fe:a9fe',
    'fe80::1',
    'febf:ffff::1',
  ])('%s', (host) => {
    expect(isNeverProxied(host)).toBe(true)
  })

  it.each([
    '128.0.0.1',
    '169.253.255.255',
    '169.255.0.1',
    '10.0.0.1',
    'fec0::1',
    '::2',
    'login.microsoftonline.com',
    'localhost.example.com',
    'notlocalhost',
  ])('but %s may be', (host) => {
    expect(isNeverProxied(host)).toBe(false)
  })
})

describe('NO_PROXY entries', () => {
  it.each([
    ['a bare domain matches itself', 'example.com', 'example.com'],
    ['a bare domain matches its subdomains', 'example.com', 'login.example.com'],
    ['a leading dot matches the domain itself', '.example.com', 'example.com'],
    ['a leading dot matches subdomains', '.example.com', 'a.b.example.com'],
    ['*. reads as a leading dot', '*.example.com', 'login.example.com'],
    ['case is ignored', 'Example.COM', 'LOGIN.example.com'],
    ['a trailing dot is ignored', 'example.com.', 'login.example.com.'],
    ['* matches everything', '*', 'anything.at.all'],
    ['entries are trimmed', ' foo.test , example.com ', 'example.com'],
    ['an IPv4 address', '10.1.2.3', '10.1.2.3'],
    ['an IPv4 block', '10.0.0.0/8', '10.200.1.1'],
    ['an IPv4 block with host bits set', '10.1.2.3/8', '10.9.9.9'],
    ['a /0 block', '0.0.0.0/0', '203.0.113.9'],
    ['an IPv6 address', 'fd00::1', 'fd00::1'],
    ['a bracketed IPv6 address', '[fd00::1]', '[fd00::1]'],
    ['an IPv6 block', 'fd00::/8', 'fdab::9'],
    ['a bracketed IPv6 block', '[fd00::]/8', 'fdab::9'],
    ['an IPv6 address in another spelling', 'fd00:0:0:0:0:0:0:1', 'fd00::1'],
    ['a domain with the right port', 'example.com:443', 'example.com'],
    ['an address with the right port', '10.1.2.3:443', '10.1.2.3'],
    ['a bracketed IPv6 address with the right port', '[fd00::1]:443', 'fd00::1'],
  ])('%s', (_case, noProxy, host) => {
    expect(exempt(noProxy, host)).toBe(true)
  })

  it.each([
    ['a domain does not match a longer name that ends like it', 'example.com', 'notexample.com'],
    ['a domain does not match its parent', 'login.example.com', 'example.com'],
    ['a domain with another port', 'example.com:8443', 'example.com'],
    ['an address with another port', '10.1.2.3:80', '10.1.2.3'],
    ['an IPv4 block, outside it', '10.0.0.0/8', '11.0.0.1'],
    ['an IPv6 block, outside it', 'fd00::/8', 'fe00::1'],
    ['a block never matches a name', '10.0.0.0/8', 'ten.example.com'],
    ['an empty list', '', 'example.com'],
    ['only commas', ',,, ,', 'example.com'],
    ['a block with a bad prefix is ignored', '10.0.0.0/33', '10.0.0.1'],
    ['a block of a name is ignored', 'example.com/8', 'example.com'],
    ['a port out of range is ignored', 'example.com:70000', 'example.com'],
    ['a port that is not a number is ignored', 'example.com:https', 'example.com'],
    ['a lone dot is ignored', '.', 'example.com'],
  ])('%s', (_case, noProxy, host) => {
    expect(exempt(noProxy, host)).toBe(false)
  })

  it('an ignored entry leaves the others working', () => {
    expect(exempt('10.0.0.0/99, example.com:https, example.com', 'login.example.com')).toBe(true)
  })

  it('a port entry compares with the port the request reaches, default ports included', () => {
    expect(exempt('example.com:80', 'example.com', 80)).toBe(true)
    expect(exempt('example.com:80', 'example.com', 443)).toBe(false)
  })
})

const ipv4 = fc.ipV4()
const prefix4 = fc.integer({ min: 0, max: 32 })
const ipv6 = fc.ipV6()
const prefix6 = fc.integer({ min: 0, max: 128 })
// a label starts with a letter: all-digit labels could spell an IPv4 address ("0.0.0.0"), which
// NO_PROXY reads as an address, not a domain
const label = fc.stringMatching(/^[a-z]([a-z0-9-]{0,10}[a-z0-9])?$/)
const domain = fc.array(label, { minLength: 1, maxLength: 4 }).map((labels) => labels.join('.'))

describe('NO_PROXY properties', () => {
  test.each([
    ['IPv4', ipv4, prefix4, 'ipv4'],
    ['IPv6', ipv6, prefix6, 'ipv6'],
  ] as const)(
    'an %s block matches exactly the addresses Node`s BlockList puts in it',
    (_name, address, prefix, family) => {
      fc.assert(
        fc.property(address, prefix, address, (network, bits, host) => {
          const reference = new BlockList()
          reference.addSubnet(network, bits, family)
          expect(exempt(`${network}/${bits}`, host)).toBe(reference.check(host, family))
        }),
      )
    },
  )

  test('every address is in its own /32 or /128, and in the block of any shorter prefix', () => {
    fc.assert(
      fc.property(ipv4, prefix4, (address, prefix) => {
        expect(exempt(address, address)).toBe(true)
        expect(exempt(`${address}/${prefix}`, address)).toBe(true)
      }),
    )
    fc.assert(
      fc.property(ipv6, (address) => {
        expect(exempt(`[${address}]`, address)).toBe(true)
      }),
    )
  })

  test('a domain entry matches the domain and every name under it, in any of its spellings', () => {
    fc.assert(
      fc.property(
        domain,
        fc.array(label, { maxLength: 3 }),
        fc.constantFrom('', '.', '*.'),
        (base, sub, lead) => {
          const host = [...sub, base].join('.')
          expect(exempt(`${lead}${base}`, host)).toBe(true)
          expect(exempt(`${lead}${base.toUpperCase()}`, `${host.toUpperCase()}.`)).toBe(true)
        },
      ),
    )
  })

  test('a domain entry never matches a name that merely ends with its text', () => {
    fc.assert(
      fc.property(domain, label, (base, prefix) => {
        fc.pre(!prefix.endsWith('.'))
        expect(exempt(base, `${prefix}${base}`)).toBe(false)
      }),
    )
  })

  test('* matches every host on every port, wherever it stands in the list', () => {
    fc.assert(
      fc.property(
        fc.array(domain),
        fc.oneof(domain, ipv4, ipv6),
        fc.integer({ min: 1, max: 65_535 }),
        (others, host, port) => {
          expect(matchesNoProxy(parseNoProxy([...others, '*'].join(',')), host, port)).toBe(true)
        },
      ),
    )
  })

  test('parsing never throws, whatever the text', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (list, host) => {
        matchesNoProxy(parseNoProxy(list), host, 443)
      }),
    )
  })
})
