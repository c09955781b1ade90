/**
 * The files an emulator writes outside its own memory: the workload-identity federated
 * token, the AKS token proxy's CA file and the directory for Azure Arc key files.
 * Everything it creates it deletes on close.
 *
 * @module
 */
import { randomBytes, randomUUID } from 'node:crypto'
import { existsSync, mkdirSync } from 'node:fs'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { encodeJwt } from './tokens.js'

/** The Arc agent's key directory on Linux, the only one a careful client reads keys from. */
export const linuxArcKeyDirectory = '/var/opt/azcmagent/tokens'

/** Paths the emulator uses, and the way to delete what it created. */
export interface EmulatorFiles {
  readonly arcKeyDirectory: string
  readonly federatedTokenPath: string
  readonly federatedToken: string
  /** Where the token proxy's CA goes (`AZURE_KUBERNETES_CA_FILE`); written by `tokenProxyTls.ts`. */
  readonly tokenProxyCaPath: string
  /** Deletes the emulator's temporary directory (key files are `ArcKeys`' to delete). */
  remove(): Promise<void>
}

/**
 * A projected service-account token lookalike: JWT-shaped, random and unique per emulator,
 * so a client that sends anything but the exact file text is caught.
 */
const federatedTokenText = (): string => {
  const now = Math.floor(Date.now() / 1000)
  const payload = {
    aud: ['api://AzureADTokenExchange'],
    iss: `https://oidc.azmi-emulator.invalid/${randomUUID()}/`,
    sub: 'system:serviceaccount:default:azmi-emulator',
    iat: now,
    nbf: now,
    exp: now + 3600,
    jti: randomUUID(),
  }
  return encodeJwt({ alg: 'RS256', typ: 'JWT', kid: randomUUID() }, payload, randomBytes(32))
}

/** Creates `directory` with mode 0700 (its parents with default modes) unless it exists. */
const ensurePrivateDirectory = (directory: string): void => {
  if (existsSync(directory)) return
  mkdirSync(dirname(directory), { recursive: true })
  mkdirSync(directory, { mode: 0o700 })
}

const isLinuxRoot = (): boolean => process.platform === 'linux' && process.getuid?.() === 0

const chooseArcKeyDirectory = (requested: string | undefined, scratch: string): string => {
  if (requested !== undefined) return requested
  return isLinuxRoot() ? linuxArcKeyDirectory : join(scratch, 'arc-tokens')
}

/** Creates the emulator's files; `arcKeyDirectory` overrides the default key directory. */
export const createEmulatorFiles = async (arcKeyDirectory: string | undefined): Promise<EmulatorFiles> => {
  const scratch = await mkdtemp(join(tmpdir(), 'azmi-emulator-'))
  const remove = () => rm(scratch, { recursive: true, force: true })
  try {
    const keyDirectory = chooseArcKeyDirectory(arcKeyDirectory, scratch)
    ensurePrivateDirectory(keyDirectory)
    const federatedTokenPath = join(scratch, 'federated-token')
    const federatedToken = federatedTokenText()
    await writeFile(federatedTokenPath, federatedToken, { mode: 0o600 })
    const tokenProxyCaPath = join(scratch, 'token-proxy-ca.pem')
    return { arcKeyDirectory: keyDirectory, federatedTokenPath, federatedToken, tokenProxyCaPath, remove }
  } catch (error) {
    await remove()
    throw error
  }
}
