/**
 * The TLS side of the emulated AKS token proxy (`docs/protocol.md §2.7`): which of its two
 * CAs signed the certificate it serves, and what the CA file a client re-reads before each
 * request holds — including the empty file a client can meet in the middle of a rotation.
 *
 * @module
 */
import { writeFileSync } from 'node:fs'
import type { SignedKeyPair } from './certificates.js'
import type { TokenProxyCa, TokenProxyRotation } from './Emulator.js'

/** The proxy's certificates and CA file. */
export interface TokenProxyTls {
  /** Which CA signed the certificate new connections get. */
  serving(): TokenProxyCa
  /** PEM of one CA. */
  caPem(which: TokenProxyCa): string
  /** Rewrites the CA file (synchronously) and returns the CA whose certificate to serve from now on. */
  rotate(rotation?: TokenProxyRotation): TokenProxyCa
}

const cas: ReadonlyArray<TokenProxyCa> = ['first', 'second']
const caFileContents: ReadonlyArray<NonNullable<TokenProxyRotation['caFile']>> = [...cas, 'both', 'empty']

const other = (which: TokenProxyCa): TokenProxyCa => (which === 'first' ? 'second' : 'first')

/** Rejects a rotation with values the union does not allow (from untyped callers). */
const checkRotation = (rotation: TokenProxyRotation): void => {
  if (rotation.serve !== undefined && !cas.includes(rotation.serve))
    throw new RangeError(
      `rotateTokenProxyCa: serve must be 'first' or 'second', got ${String(rotation.serve)}`,
    )
  if (rotation.caFile !== undefined && !caFileContents.includes(rotation.caFile))
    throw new RangeError(`rotateTokenProxyCa: caFile must be one of ${caFileContents.join(', ')}`)
}

/** The first certificate served, and its CA in `caFile` (written now). */
export const createTokenProxyTls = (
  pairs: Readonly<Record<TokenProxyCa, SignedKeyPair>>,
  caFile: string,
): TokenProxyTls => {
  let serving: TokenProxyCa = 'first'
  const contents = (what: NonNullable<TokenProxyRotation['caFile']>): string => {
    if (what === 'empty') return ''
    return what === 'both' ? `${pairs.first.caPem}${pairs.second.caPem}` : pairs[what].caPem
  }
  writeFileSync(caFile, contents('first'))
  return {
    serving: () => serving,
    caPem: (which) => pairs[which].caPem,
    rotate(rotation = {}) {
      checkRotation(rotation)
      const next = rotation.serve ?? other(serving)
      writeFileSync(caFile, contents(rotation.caFile ?? next))
      serving = next
      return next
    },
  }
}
