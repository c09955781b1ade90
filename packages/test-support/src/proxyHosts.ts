/**
 * How the test proxy resolves a target: through the map a test gives it, never through DNS,
 * and only to loopback addresses.
 */
import { BlockList, isIP } from 'node:net'

/** Where the proxy connects for a target. */
export interface ResolvedTarget {
  readonly host: string
  readonly port: number
}

const loopback = new BlockList()
loopback.addSubnet('127.0.0.0', 8, 'ipv4')
loopback.addAddress('::1', 'ipv6')

/** `[::1]` → `::1`; anything else unchanged. */
export const bare = (host: string): string => host.replace(/^\[(.*)\]$/, '$1')

/** Whether `host` is an address (bracketed or not) in 127.0.0.0/8, or `::1`. */
export const isLoopbackIp = (host: string): boolean => {
  const family = isIP(bare(host))
  return family !== 0 && loopback.check(bare(host), family === 4 ? 'ipv4' : 'ipv6')
}

/** `127.0.0.1`, `[::1]`, `127.0.0.1:5000` or `[::1]:5000` → address and optional port. */
const parseMapped = (value: string): { host: string; port: number | undefined } | undefined => {
  if (isIP(value) !== 0) return { host: value, port: undefined }
  const match = /^(\[[^\]]+\]|[^:]+)(?::(\d{1,5}))?$/.exec(value)
  if (match?.[1] === undefined) return undefined
  return { host: bare(match[1]), port: match[2] === undefined ? undefined : Number(match[2]) }
}

/** Whether a map value names a loopback address (with or without a port). */
export const loopbackAddress = (value: string): boolean => {
  const mapped = parseMapped(value)
  return mapped !== undefined && isLoopbackIp(mapped.host)
}

/** The loopback address and port for `host:port`, or `undefined` when the proxy cannot resolve it. */
export const resolveTarget = (
  hosts: Readonly<Record<string, string>> | undefined,
  host: string,
  port: number,
): ResolvedTarget | undefined => {
  const name = bare(host).toLowerCase()
  const value = hosts?.[`${name}:${port}`] ?? hosts?.[name]
  if (value === undefined) return isLoopbackIp(name) ? { host: name, port } : undefined
  const mapped = parseMapped(value)
  return mapped === undefined ? undefined : { host: mapped.host, port: mapped.port ?? port }
}
