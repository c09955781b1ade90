/**
 * A certificate authority made for one test file with the `openssl` command line, and server
 * certificates it signs for whatever names a test needs (`login.test`, a token proxy's name):
 * the emulator's own certificates name only `localhost` and `127.0.0.1`. Nothing outlives the
 * file: the keys live in a temporary directory that `remove()` deletes.
 */
import { execFileSync } from 'node:child_process'
import { X509Certificate } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { KeyPair } from '@azmi/test-support'

export interface ThrowawayPki {
  /** PEM of the CA. */
  readonly caPem: string
  /** A server certificate (and its key) for `names`: DNS names and IP addresses. */
  readonly issue: (names: ReadonlyArray<string>) => KeyPair
  readonly remove: () => void
}

const openssl = (directory: string, args: ReadonlyArray<string>): void => {
  execFileSync('openssl', args, { cwd: directory, stdio: ['ignore', 'ignore', 'pipe'] })
}

const EC_KEY = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes']

const subjectAltName = (names: ReadonlyArray<string>): string =>
  names.map((name) => (/^[\d.]+$|:/.test(name) ? `IP:${name}` : `DNS:${name}`)).join(',')

/** Create a CA named `label` in a fresh temporary directory. */
export const createThrowawayPki = (label: string): ThrowawayPki => {
  const directory = mkdtempSync(join(tmpdir(), 'azmi-pki-'))
  openssl(directory, [
    'req',
    '-x509',
    ...EC_KEY,
    '-keyout',
    'ca.key',
    '-out',
    'ca.pem',
    '-days',
    '2',
    '-subj',
    `/CN=${label}`,
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign',
  ])
  let issued = 0
  const issue = (names: ReadonlyArray<string>): KeyPair => {
    issued += 1
    const base = `server-${issued}`
    writeFileSync(
      join(directory, `${base}.ext`),
      `subjectAltName=${subjectAltName(names)}\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n`,
    )
    openssl(directory, [
      'req',
      '-new',
      ...EC_KEY,
      '-keyout',
      `${base}.key`,
      '-out',
      `${base}.csr`,
      '-subj',
      `/CN=${names[0] ?? 'server'}`,
    ])
    openssl(directory, [
      'x509',
      '-req',
      '-in',
      `${base}.csr`,
      '-CA',
      'ca.pem',
      '-CAkey',
      'ca.key',
      '-set_serial',
      String(1000 + issued),
      '-days',
      '2',
      '-extfile',
      `${base}.ext`,
      '-out',
      `${base}.pem`,
    ])
    return {
      cert: readFileSync(join(directory, `${base}.pem`), 'utf8'),
      key: readFileSync(join(directory, `${base}.key`), 'utf8'),
    }
  }
  return {
    caPem: readFileSync(join(directory, 'ca.pem'), 'utf8'),
    issue,
    remove: () => rmSync(directory, { recursive: true, force: true }),
  }
}

/** Upper-case hex SHA-1 of a PEM certificate, as Service Fabric publishes a thumbprint. */
export const thumbprintOf = (certificatePem: string): string =>
  new X509Certificate(certificatePem).fingerprint.replaceAll(':', '')
