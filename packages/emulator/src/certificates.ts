/**
 * The test certificates shipped in `../certs` (see its README): the CA and CA-signed server
 * certificate of the emulated Entra ID endpoint, and the two self-signed Service Fabric
 * cluster certificates that clients pin by thumbprint.
 *
 * @module
 */
import { X509Certificate } from 'node:crypto'
import { readFile } from 'node:fs/promises'

/** A certificate with its private key, both PEM. */
export interface KeyPair {
  readonly cert: string
  readonly key: string
}

/** All certificates the emulator serves. */
export interface Certificates {
  readonly caPem: string
  readonly entra: KeyPair
  readonly serviceFabric: { readonly primary: KeyPair; readonly alternate: KeyPair }
}

// Resolved against this module, so that the source and the bundled `dist` both find `../certs`.
const certificateFile = (name: string): Promise<string> =>
  readFile(new URL(`../certs/${name}`, import.meta.url), 'utf8')

const keyPair = async (name: string): Promise<KeyPair> => ({
  cert: await certificateFile(`${name}.pem`),
  key: await certificateFile(`${name}.key`),
})

/** Reads every certificate from the package's `certs` folder. */
export const loadCertificates = async (): Promise<Certificates> => ({
  caPem: await certificateFile('ca.pem'),
  entra: await keyPair('server'),
  serviceFabric: {
    primary: await keyPair('service-fabric'),
    alternate: await keyPair('service-fabric-alternate'),
  },
})

/**
 * The SHA-1 thumbprint as Service Fabric publishes it in `IDENTITY_SERVER_THUMBPRINT`:
 * upper-case hex without separators.
 */
export const sha1Thumbprint = (pem: string): string =>
  new X509Certificate(pem).fingerprint.replaceAll(':', '').toUpperCase()
