/**
 * What a request's host is, for proxy decisions: an IP address of either family, or a name;
 * and whether it is one of the hosts that are never proxied (docs/protocol.md §1.6):
 * loopback (`127.0.0.0/8`, `::1`, `localhost`, `*.localhost`) and link-local
 * (`169.254.0.0/16`, `fe80::/10`), where IMDS and every local identity endpoint live.
 *
 * Address blocks are Node's `net.BlockList`, which also matches IPv4-mapped IPv6 addresses
 * (`::ffff:127.0.0.1`) against IPv4 blocks, so no spelling of a loopback address slips past.
 *
 * @since 0.1.0
 */
import { BlockList, isIP } from 'node:net'

/** The family of an IP literal, as `BlockList` names it, or `undefined` for a host name. */
export type AddressFamily = 'ipv4' | 'ipv6'

/** `'ipv4'`/`'ipv6'` for an address (IPv6 without brackets), `undefined` for anything else. */
export const addressFamily = (host: string): AddressFamily | undefined => {
  const version = isIP(host)
  return version === 4 ? 'ipv4' : version === 6 ? 'ipv6' : undefined
}

/**
 * A host as the matchers compare it: lower case, IPv6 brackets and one trailing dot (a fully
 * qualified `name.`) removed.
 */
export const normalizeHost = (host: string): string =>
  host
    .toLowerCase()
    .replace(/^\[(.*)\]$/, '$1')
    .replace(/\.$/, '')

const loopbackAndLinkLocal = (): BlockList => {
  const blocks = new BlockList()
  blocks.addSubnet('127.0.0.0', 8, 'ipv4')
  blocks.addSubnet('169.254.0.0', 16, 'ipv4')
  blocks.addAddress('::1', 'ipv6')
  blocks.addSubnet('fe80::', 10, 'ipv6')
  return blocks
}

let neverProxiedBlocks: BlockList | undefined

/** Whether `host` is loopback or link-local, so that no proxy may ever see a request to it. */
export const isNeverProxied = (host: string): boolean => {
  const name = normalizeHost(host)
  if (name === 'localhost' || name.endsWith('.localhost')) return true
  const family = addressFamily(name)
  if (family === undefined) return false
  neverProxiedBlocks ??= loopbackAndLinkLocal()
  return neverProxiedBlocks.check(name, family)
}
