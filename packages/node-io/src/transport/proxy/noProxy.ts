/**
 * `NO_PROXY`: the hosts a request reaches directly although a proxy is configured
 * (docs/protocol.md §1.6). A comma-separated list; each entry is
 *
 * - `*`: every host;
 * - a domain, `example.com`, `.example.com` or `*.example.com`: that domain and every name
 *   under it (curl's reading; `notexample.com` does not match);
 * - an IP address, `10.1.2.3`, `::1` or `[::1]`, or a CIDR block, `10.0.0.0/8`, `fd00::/8`:
 *   request hosts written as addresses in it (names are never resolved to decide);
 * - any of the above but `*` and a bare IPv6 address, followed by `:port`: only that port.
 *
 * Entries that fit none of these are ignored, as curl and Go ignore them: the variable is
 * shared with other tools, and one odd entry must not turn every other entry off.
 *
 * @since 0.1.0
 */
import { BlockList } from 'node:net'
import { addressFamily, normalizeHost } from './hostAddress.js'

/** One parsed entry. */
export type NoProxyRule =
  | { readonly _tag: 'Everything' }
  | { readonly _tag: 'Domain'; readonly domain: string; readonly port: number | undefined }
  | { readonly _tag: 'Addresses'; readonly block: BlockList; readonly port: number | undefined }

interface SplitEntry {
  readonly name: string
  readonly port: number | undefined
}

const portOf = (digits: string): number | undefined => {
  const port = Number(digits)
  return port >= 1 && port <= 65_535 ? port : undefined
}

/** `[v6]`, `[v6]:port`, `[v6]/prefix`, `host:port`, or a bare name, address or block. */
const splitPort = (entry: string): SplitEntry | undefined => {
  const bracketed = /^\[([^\]]+)\](.*)$/.exec(entry)
  if (bracketed !== null) {
    const [, address = '', rest = ''] = bracketed
    if (rest === '' || /^\/\d{1,3}$/.test(rest)) return { name: `${address}${rest}`, port: undefined }
    const port = /^:(\d{1,5})$/.exec(rest)?.[1]
    return port === undefined || portOf(port) === undefined
      ? undefined
      : { name: address, port: portOf(port) }
  }
  const colons = entry.split(':').length - 1
  // two or more colons: a bare IPv6 address or block, which cannot carry a port unbracketed
  if (colons !== 1) return { name: entry, port: undefined }
  const [name = '', digits = ''] = entry.split(':')
  const port = /^\d{1,5}$/.test(digits) ? portOf(digits) : undefined
  return port === undefined || name === '' ? undefined : { name, port }
}

const addressRule = (text: string, port: number | undefined): NoProxyRule | undefined => {
  const [address = '', prefixText, extra] = text.split('/')
  const family = addressFamily(address)
  if (family === undefined || extra !== undefined) return undefined
  const longest = family === 'ipv4' ? 32 : 128
  const prefix = prefixText === undefined ? longest : Number(prefixText)
  if (!Number.isInteger(prefix) || prefix < 0 || prefix > longest) return undefined
  const block = new BlockList()
  try {
    block.addSubnet(address, prefix, family)
  } catch {
    // an address `isIP` accepts but `BlockList` does not, such as one with a zone (`%eth0`)
    return undefined
  }
  return { _tag: 'Addresses', block, port }
}

const parseEntry = (raw: string): NoProxyRule | undefined => {
  const entry = raw.trim().toLowerCase()
  if (entry === '') return undefined
  if (entry === '*') return { _tag: 'Everything' }
  const split = splitPort(entry)
  if (split === undefined) return undefined
  if (split.name.includes('/') || addressFamily(split.name) !== undefined) {
    return addressRule(split.name, split.port)
  }
  const domain = split.name.replace(/^\*?\./, '').replace(/\.$/, '')
  if (domain === '' || /[\s/*[\]@]/.test(domain)) return undefined
  return { _tag: 'Domain', domain, port: split.port }
}

/** Parse a `NO_PROXY` value (`undefined` or `''`: no exceptions). */
export const parseNoProxy = (list: string | undefined): ReadonlyArray<NoProxyRule> =>
  (list ?? '').split(',').flatMap((entry) => {
    const rule = parseEntry(entry)
    return rule === undefined ? [] : [rule]
  })

const ruleMatches = (rule: NoProxyRule, host: string, port: number): boolean => {
  switch (rule._tag) {
    case 'Everything':
      return true
    case 'Domain':
      return (
        (rule.port === undefined || rule.port === port) &&
        (host === rule.domain || host.endsWith(`.${rule.domain}`))
      )
    case 'Addresses': {
      const family = addressFamily(host)
      return (
        (rule.port === undefined || rule.port === port) &&
        family !== undefined &&
        rule.block.check(host, family)
      )
    }
  }
}

/** Whether `rules` exempt `host` (as `URL.hostname` gives it) on `port` from the proxy. */
export const matchesNoProxy = (rules: ReadonlyArray<NoProxyRule>, host: string, port: number): boolean => {
  const name = normalizeHost(host)
  return rules.some((rule) => ruleMatches(rule, name, port))
}
