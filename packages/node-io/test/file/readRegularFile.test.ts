import { execFileSync, spawnSync } from 'node:child_process'
import { chmod, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readRegularFile } from '../../src/index.js'

let dir = ''
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'azmi-read-'))
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

const failure = (kind: string) => ({ _tag: 'Left', left: { _tag: 'FileFailure', kind } })

const ROOT = new URL('../../../../', import.meta.url)
const READ_AS_OTHER_USER = new URL('../fixtures/readAsOtherUser.ts', import.meta.url)
/** The conventional `nobody`: root may read anything, so the permission check runs as this user. */
const UNPRIVILEGED = 65_534

/** Run `readRegularFile(path)` as an unprivileged user (in a child process when we are root). */
const readUnprivileged = async (path: string): Promise<unknown> => {
  if (process.getuid?.() !== 0) return readRegularFile(path, 4_096)
  const child = spawnSync(
    process.execPath,
    ['--conditions=azmi-source', '--import', 'tsx', READ_AS_OTHER_USER.pathname, path],
    { cwd: ROOT, uid: UNPRIVILEGED, gid: UNPRIVILEGED, encoding: 'utf8', timeout: 30_000 },
  )
  return JSON.parse(child.stdout)
}

const file = async (name: string, contents: string | Buffer): Promise<string> => {
  const path = join(dir, name)
  await writeFile(path, contents)
  return path
}

describe('readRegularFile', () => {
  it('returns the contents exactly: no trimming, trailing newline and BOM kept', async () => {
    const contents = '\ufeff  eyJhbGciOi.r\u00e9sum\u00e9.\u2713\t\n\n'
    const path = await file('token.jwt', contents)
    await expect(readRegularFile(path, 4_096)).resolves.toEqual({ _tag: 'Right', right: contents })
  })

  it('reads an empty file', async () => {
    await expect(readRegularFile(await file('empty.key', ''), 4_096)).resolves.toEqual({
      _tag: 'Right',
      right: '',
    })
  })

  it('reads a file of exactly maxBytes and refuses one byte more before reading it', async () => {
    await expect(readRegularFile(await file('exact.key', 'k'.repeat(4_096)), 4_096)).resolves.toMatchObject({
      _tag: 'Right',
    })
    const over = await readRegularFile(await file('over.key', 's'.repeat(4_097)), 4_096)
    expect(over).toMatchObject(failure('too-large'))
    expect(JSON.stringify(over)).not.toContain('sss')
  })

  it('counts bytes, not characters', async () => {
    // 3 characters, 6 bytes
    await expect(readRegularFile(await file('wide.key', '\u00e9\u00e9\u00e9'), 5)).resolves.toMatchObject(
      failure('too-large'),
    )
  })

  it('refuses a symbolic link to a regular file (links are never followed)', async () => {
    const target = await file('target.key', 'secret')
    const link = join(dir, 'link.key')
    await symlink(target, link)
    const reply = await readRegularFile(link, 4_096)
    expect(reply).toMatchObject(failure('not-regular-file'))
    expect(JSON.stringify(reply)).not.toContain('secret')
  })

  it('refuses a dangling symbolic link as a link, not as missing', async () => {
    const link = join(dir, 'dangling.key')
    await symlink(join(dir, 'nowhere'), link)
    await expect(readRegularFile(link, 4_096)).resolves.toMatchObject(failure('not-regular-file'))
  })

  it('refuses a directory', async () => {
    const path = join(dir, 'tokens.key')
    await mkdir(path)
    await expect(readRegularFile(path, 4_096)).resolves.toMatchObject(failure('not-regular-file'))
  })

  it.skipIf(process.platform === 'win32')(
    'refuses a FIFO without opening it (an open would block)',
    async () => {
      const path = join(dir, 'fifo.key')
      execFileSync('mkfifo', [path])
      await expect(readRegularFile(path, 4_096)).resolves.toMatchObject(failure('not-regular-file'))
    },
  )

  it.skipIf(process.platform === 'win32')('refuses a character device', async () => {
    await expect(readRegularFile('/dev/null', 4_096)).resolves.toMatchObject(failure('not-regular-file'))
  })

  it.skipIf(process.platform === 'win32')(
    'reports a file the process may not read as permission',
    async () => {
      // the directories stay searchable, so it is the file itself that is refused, at open
      await chmod(dir, 0o755)
      const open = join(dir, 'open')
      await mkdir(open, { mode: 0o755 })
      const locked = join(open, 'locked.key')
      await writeFile(locked, 'secret')
      await chmod(locked, 0o000)
      const reply = await readUnprivileged(locked)
      expect(reply).toMatchObject(failure('permission'))
      expect(JSON.stringify(reply)).not.toContain('secret')
    },
    30_000,
  )

  it('reports a missing file, and a path through a file, as not-found', async () => {
    await expect(readRegularFile(join(dir, 'missing.key'), 4_096)).resolves.toMatchObject(
      failure('not-found'),
    )
    const plain = await file('plain.txt', 'x')
    await expect(readRegularFile(join(plain, 'child.key'), 4_096)).resolves.toMatchObject(
      failure('not-found'),
    )
  })
})
