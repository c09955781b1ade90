/**
 * The key files of the Azure Arc challenge. The agent proves to a caller that it may read a
 * root-only directory by asking it to send back the contents of a fresh file there; the
 * emulator writes such files, accepts each once, and deletes them.
 *
 * @see https://learn.microsoft.com/azure/azure-arc/servers/managed-identity-authentication
 * @module
 */
import { randomBytes } from 'node:crypto'
import { rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

/** The key files one emulator wrote and has not yet seen redeemed. */
export interface ArcKeys {
  readonly directory: string
  /** Writes a new key file (mode 0600) and returns its absolute path. */
  create(): string
  /** Whether `secret` is the text of an outstanding key file; a match deletes that file. */
  redeem(secret: string): boolean
  /** Deletes every outstanding key file. */
  removeAll(): void
}

/** Key files in `directory`, which must exist. */
export const createArcKeys = (directory: string): ArcKeys => {
  const outstanding = new Map<string, string>()
  const remove = (path: string): void => {
    outstanding.delete(path)
    rmSync(path, { force: true })
  }
  return {
    directory,
    create() {
      const path = join(directory, `${randomBytes(16).toString('hex')}.key`)
      const secret = randomBytes(32).toString('hex')
      // Synchronous on purpose: the challenge must not go out before the file exists.
      writeFileSync(path, secret, { mode: 0o600, flag: 'wx' })
      outstanding.set(path, secret)
      return path
    },
    redeem(secret) {
      const match = [...outstanding].find(([, text]) => text === secret)
      if (match === undefined) return false
      remove(match[0])
      return true
    },
    removeAll() {
      for (const path of [...outstanding.keys()]) remove(path)
    },
  }
}
