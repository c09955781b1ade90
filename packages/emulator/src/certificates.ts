/**
 * The test certificates shipped in `../certs` (see its README): the CA and CA-signed server
 * certificate of the emulated Entra ID endpoint, the two self-signed Service Fabric
 * cluster certificates that clients pin by thumbprint, and the two CAs (each with the
 * certificate it signed) of the emulated AKS token proxy.
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

/** A server certificate with its key and the CA that signed it. */
export interface SignedKeyPair extends KeyPair {
  readonly caPem: string
}

/** All certificates the emulator serves. */
export interface Certificates {
  readonly caPem: string
  readonly entra: KeyPair
  readonly serviceFabric: { readonly primary: KeyPair; readonly alternate: KeyPair }
  /** Valid only for {@link tokenProxySniName}, each signed by its own CA (not the test CA). */
  readonly tokenProxy: { readonly first: SignedKeyPair; readonly second: SignedKeyPair }
}

/** The one name the token proxy's certificates are issued for (neither 127.0.0.1 nor localhost). */
export const tokenProxySniName = 'token-proxy.aks.test'

// Resolved against this module, so that the source and the bundled `dist` both find `../certs`.
const certificateFile = (name: string): Promise<string> =>
  readFile(new URL(`../certs/${name}`, import.meta.url), 'utf8')

const keyPair = async (name: string): Promise<KeyPair> => ({
  cert: await certificateFile(`${name}.pem`),
  key: await certificateFile(`${name}.key`),
})

const signedKeyPair = async (name: string, ca: string): Promise<SignedKeyPair> => ({
  ...(await keyPair(name)),
  caPem: await certificateFile(`${ca}.pem`),
})

/** Reads every certificate from the package's `certs` folder. */
export const loadCertificates = async (): Promise<Certificates> => ({
  caPem: await certificateFile('ca.pem'),
  entra: await keyPair('server'),
  serviceFabric: {
    primary: await keyPair('service-fabric'),
    alternate: await keyPair('service-fabric-alternate'),
  },
  tokenProxy: {
    first: await signedKeyPair('token-proxy', 'token-proxy-ca'),
    second: await signedKeyPair('token-proxy-2', 'token-proxy-ca-2'),
  },
})

/**
 * The SHA-1 thumbprint as Service Fabric publishes it in `IDENTITY_SERVER_THUMBPRINT`:
 * upper-case hex without separators.
 */
export const sha1Thumbprint = (pem: string): string =>
  new X509Certificate(pem).fingerprint.replaceAll(':', '').toUpperCase()
