/**
 * Azure Arc's challenge names a file whose contents the client sends back, so a hostile
 * endpoint could use it to make the client read any file and hand it over (docs/protocol.md §2.4).
 * Each hostile realm here is refused with the rule it breaks, and the proof that nothing was
 * read and sent is on the wire: the emulator received the challenged request and nothing after
 * it, and no request carries the file's contents.
 *
 * The rules only hold Linux's real key directory, `/var/opt/azcmagent/tokens`. Paths refused
 * by their shape alone run on any Linux; the ones that need a file placed in that directory
 * (a link, a directory, a FIFO, an oversized key) need root, as CI runs, and are skipped
 * otherwise.
 */
import { execFileSync } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { LINUX_KEY_DIRECTORY as LINUX_ARC_KEY_DIRECTORY } from '@azmi/core'
import type { Fault } from '@azmi/emulator'
import { emulatorPerFile, isLinuxRoot, requestsTo, SCOPE } from '@azmi/test-support'
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest'
import { ManagedIdentityCredential } from '../../src/index.js'

const onLinux = process.platform === 'linux'

const emulator = emulatorPerFile()
/** A directory outside the key directory, for link targets. */
let elsewhere: string
beforeAll(() => {
  elsewhere = mkdtempSync(join(tmpdir(), 'azmi-arc-elsewhere-'))
})
afterAll(() => rmSync(elsewhere, { recursive: true, force: true }))

const created: string[] = []
afterEach(() => {
  for (const path of created.splice(0)) rmSync(path, { recursive: true, force: true })
})

/** A fresh name in the real key directory, removed after the test. */
const inKeyDirectory = (name: string): string => {
  const path = join(LINUX_ARC_KEY_DIRECTORY, `azmi-e2e-${randomUUID()}-${name}`)
  created.push(path)
  return path
}

/** Text no request may ever carry: it only exists inside a file the client must not read. */
const secretText = (): string => `azmi-must-not-be-sent-${randomUUID()}`

/** Ask for a token while the Arc endpoint's first answer is `fault`. */
const tokenAfter = (fault: Fault) => {
  emulator().script('AzureArc', [fault])
  return new ManagedIdentityCredential({ env: emulator().env('AzureArc') }).getToken(SCOPE)
}

const refusedBy = (rule: string) => ({
  name: 'AuthenticationError',
  code: 'arc_key_file',
  source: 'AzureArc',
  details: { rule },
})

/** One request (the one that got the challenge), no keyed retry, and no secret on the wire. */
const expectNothingSent = (...secrets: ReadonlyArray<string>): void => {
  const requests = requestsTo(emulator(), 'AzureArc')
  expect(requests).toHaveLength(1)
  expect(requests[0]?.headers.authorization).toBeUndefined()
  const wire = JSON.stringify(emulator().requests)
  for (const secret of secrets) expect(wire).not.toContain(secret)
}

describe.skipIf(!onLinux)('realms refused by their path alone', () => {
  test('a file outside the key directory (/etc/passwd)', async () => {
    await expect(tokenAfter({ arcRealm: '/etc/passwd' })).rejects.toMatchObject(refusedBy('directory'))
    expectNothingSent()
  })

  test('a path that climbs out of the key directory with ..', async () => {
    const realm = `${LINUX_ARC_KEY_DIRECTORY}/../../etc/x.key`
    await expect(tokenAfter({ arcRealm: realm })).rejects.toMatchObject(refusedBy('traversal'))
    expectNothingSent()
  })

  test('a key directory below the real one', async () => {
    const realm = `${LINUX_ARC_KEY_DIRECTORY}/nested/x.key`
    await expect(tokenAfter({ arcRealm: realm })).rejects.toMatchObject(refusedBy('directory'))
    expectNothingSent()
  })

  test('a key that does not exist', async () => {
    const realm = join(LINUX_ARC_KEY_DIRECTORY, `azmi-e2e-missing-${randomUUID()}.key`)
    await expect(tokenAfter({ arcRealm: realm })).rejects.toMatchObject(refusedBy('unreadable'))
    expectNothingSent()
  })
})

describe.skipIf(!isLinuxRoot)('files in the real key directory (root on Linux only)', () => {
  test('the emulator writes its keys where the credential reads them', () => {
    expect(emulator().arcKeyDirectory).toBe(LINUX_ARC_KEY_DIRECTORY)
  })

  test('a file whose name does not end in .key', async () => {
    const secret = secretText()
    const path = inKeyDirectory('key.txt')
    writeFileSync(path, secret, { mode: 0o600 })
    await expect(tokenAfter({ arcRealm: path })).rejects.toMatchObject(refusedBy('extension'))
    expectNothingSent(secret)
  })

  test('a .key symbolic link to a file elsewhere (never followed)', async () => {
    const secret = secretText()
    const target = join(elsewhere, `${randomUUID()}.key`)
    writeFileSync(target, secret, { mode: 0o600 })
    const link = inKeyDirectory('link.key')
    symlinkSync(target, link)
    await expect(tokenAfter({ arcRealm: link })).rejects.toMatchObject(refusedBy('not-regular-file'))
    expectNothingSent(secret)
  })

  test('a directory named x.key', async () => {
    const path = inKeyDirectory('x.key')
    mkdirSync(path, { mode: 0o700 })
    await expect(tokenAfter({ arcRealm: path })).rejects.toMatchObject(refusedBy('not-regular-file'))
    expectNothingSent()
  })

  test('a FIFO named x.key (opening it could block forever)', async () => {
    const path = inKeyDirectory('x.key')
    execFileSync('mkfifo', ['-m', '600', path])
    await expect(tokenAfter({ arcRealm: path })).rejects.toMatchObject(refusedBy('not-regular-file'))
    expectNothingSent()
  })

  test('a .key file over 4096 bytes', async () => {
    const secret = secretText()
    const path = inKeyDirectory('big.key')
    writeFileSync(path, secret.padEnd(4097, '0'), { mode: 0o600 })
    await expect(tokenAfter({ arcRealm: path })).rejects.toMatchObject(refusedBy('too-large'))
    expectNothingSent(secret)
  })

  test('a .key file of exactly 4096 bytes is read and sent (the limit is inclusive)', async () => {
    // the emulator only accepts keys it wrote, so it challenges again: what matters is that
    // this file, unlike the ones above, was read and its contents sent back once
    const key = secretText().padEnd(4096, '0')
    const path = inKeyDirectory('limit.key')
    writeFileSync(path, key, { mode: 0o600 })
    emulator().script('AzureArc', [{ arcRealm: path }, { arcRealm: path }])
    const credential = new ManagedIdentityCredential({ env: emulator().env('AzureArc') })
    await expect(credential.getToken(SCOPE)).rejects.toMatchObject({
      code: 'http_error',
      details: { status: 401 },
    })
    const [, keyed, ...others] = requestsTo(emulator(), 'AzureArc')
    expect(others).toEqual([])
    expect(keyed?.headers.authorization).toBe(`Basic ${key}`)
  })
})

describe('challenges that are not a usable "Basic realm=<path>"', () => {
  const challenged = (status: number) => ({
    name: 'AuthenticationError',
    code: 'arc_challenge',
    source: 'AzureArc',
    details: { status },
  })

  test.each([
    ['a quoted realm', `"${LINUX_ARC_KEY_DIRECTORY}/x.key"`],
    ['a realm followed by another parameter', `${LINUX_ARC_KEY_DIRECTORY}/x.key, charset=UTF-8`],
    ['a realm with a semicolon', `${LINUX_ARC_KEY_DIRECTORY}/x.key;/etc/passwd`],
  ])('%s', async (_name, realm) => {
    await expect(tokenAfter({ arcRealm: realm })).rejects.toMatchObject(challenged(401))
    expectNothingSent()
  })

  test('a 401 without WWW-Authenticate', async () => {
    await expect(tokenAfter({ status: 401 })).rejects.toMatchObject(challenged(401))
    expectNothingSent()
  })

  test('a 200 with a token instead of the challenge is not accepted', async () => {
    const body = JSON.stringify({ access_token: 'not-from-a-challenge', expires_in: '3600' })
    await expect(tokenAfter({ status: 200, body })).rejects.toMatchObject(challenged(200))
    expectNothingSent()
  })
})
