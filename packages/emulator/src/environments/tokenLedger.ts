/**
 * The tokens an environment issued, by SHA-256, so that a later request can name one to
 * refresh: Service Fabric's `token_sha256_to_refresh` (`docs/protocol.md §2.3`) revokes the
 * token it names, and the endpoint issues a fresh one.
 *
 * @module
 */
import { createHash } from 'node:crypto'
import type { Revocation } from '../model.js'

/** Issued tokens and the revocations requests asked for. */
export interface TokenLedger {
  /** Remembers a token this emulator issued. */
  remember(accessToken: string): void
  /** Records a request to refresh the token with this digest; a token it names is revoked. */
  refresh(sha256: string, at: number): Revocation
  /** Every refresh request so far, oldest first. */
  revocations(): ReadonlyArray<Revocation>
  /** Whether `accessToken` was issued here and later revoked. */
  isRevoked(accessToken: string): boolean
}

/** Lower-case hex SHA-256 of the token's UTF-8 bytes, the digest clients send. */
export const tokenSha256 = (accessToken: string): string =>
  createHash('sha256').update(accessToken, 'utf8').digest('hex')

/** An empty ledger. */
export const createTokenLedger = (): TokenLedger => {
  const issued = new Set<string>()
  const revoked = new Set<string>()
  const log: Revocation[] = []
  return {
    remember: (accessToken) => void issued.add(tokenSha256(accessToken)),
    refresh(sha256, at) {
      const known = issued.has(sha256)
      if (known) revoked.add(sha256)
      const revocation = { sha256, known, at }
      log.push(revocation)
      return revocation
    },
    revocations: () => [...log],
    isRevoked: (accessToken) => revoked.has(tokenSha256(accessToken)),
  }
}
