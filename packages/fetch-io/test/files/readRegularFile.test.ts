import { denoReadFile } from '@azmi/fetch-io'
import { describe, expect, it } from 'vitest'
import { bunFileAccess, bunReadFile, classifyErrnoError } from '../../src/files/bunReadFile.js'
import { denoFileAccess } from '../../src/files/denoReadFile.js'
import type { EntryFacts, FileAccess } from '../../src/files/readRegularFile.js'
import { readRegularFileWith } from '../../src/files/readRegularFile.js'
import type { DenoFileSystem } from '../../src/files/runtimeGlobals.js'

const regular = (size: number): EntryFacts => ({ isSymlink: false, isFile: true, size })

/** A FileAccess over fixed facts and bytes, recording whether the bytes were ever read. */
const standIn = (facts: EntryFacts, bytes: Uint8Array) => {
  const reads: string[] = []
  const access: FileAccess = {
    lstat: async () => facts,
    readBytes: async (path) => {
      reads.push(path)
      return bytes
    },
    classify: () => 'other',
  }
  return { access, reads }
}

const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text)

describe('readRegularFileWith', () => {
  it('returns the text unchanged: byte-order mark, spaces and final newline kept', async () => {
    const text = '\uFEFF  eyJhbGciOi.payload.sig \n'
    const { access } = standIn(regular(utf8(text).byteLength), utf8(text))
    await expect(readRegularFileWith(access)('/token', 4096)).resolves.toEqual({ _tag: 'Right', right: text })
  })

  it.each([
    ['a symbolic link', { isSymlink: true, isFile: false, size: 10 }, 'not-regular-file'],
    ['a directory or FIFO', { isSymlink: false, isFile: false, size: 0 }, 'not-regular-file'],
    ['a file over the limit', regular(4097), 'too-large'],
  ] as const)('refuses %s without reading a byte', async (_what, facts, kind) => {
    const { access, reads } = standIn(facts, utf8('secret contents'))
    const result = await readRegularFileWith(access)('/var/opt/azcmagent/tokens/x.key', 4096)
    expect(result).toMatchObject({ _tag: 'Left', left: { _tag: 'FileFailure', kind } })
    expect(reads).toEqual([])
  })

  it('refuses a file that grew past the limit between lstat and read', async () => {
    const { access } = standIn(regular(10), new Uint8Array(5000))
    await expect(readRegularFileWith(access)('/grows', 4096)).resolves.toMatchObject({
      left: { kind: 'too-large' },
    })
  })

  it('resolves with the classified failure when the runtime throws, never rejecting', async () => {
    const access: FileAccess = {
      lstat: () =>
        Promise.reject(Object.assign(new Error('ENOENT: no such file, lstat /missing'), { code: 'ENOENT' })),
      readBytes: () => Promise.reject(new Error('not reached')),
      classify: classifyErrnoError,
    }
    await expect(readRegularFileWith(access)('/missing', 4096)).resolves.toMatchObject({
      left: { kind: 'not-found', detail: 'Error: ENOENT: no such file, lstat /missing' },
    })
  })
})

describe('denoFileAccess', () => {
  class NotFound extends Error {}
  class PermissionDenied extends Error {}
  class NotCapable extends Error {}
  const failingDeno = (error: Error): DenoFileSystem => ({
    lstat: () => Promise.reject(error),
    readFile: () => Promise.reject(new Error('not reached')),
    errors: { NotFound, PermissionDenied, NotCapable },
  })

  it.each([
    ['NotFound', new NotFound('missing'), 'not-found'],
    ['PermissionDenied', new PermissionDenied('EACCES'), 'permission'],
    ['NotCapable (--allow-read)', new NotCapable('requires read access'), 'permission'],
    ['anything else', new TypeError('odd'), 'other'],
  ] as const)('classifies %s by its class', async (_what, error, kind) => {
    const readFile = readRegularFileWith(denoFileAccess(failingDeno(error)))
    await expect(readFile('/var/opt/azcmagent/tokens/x.key', 4096)).resolves.toMatchObject({ left: { kind } })
  })

  it('maps Deno.FileInfo onto the checks', async () => {
    const deno: DenoFileSystem = {
      lstat: async () => ({ isFile: false, isSymlink: true, size: 3 }),
      readFile: () => Promise.reject(new Error('not reached')),
      errors: { NotFound, PermissionDenied },
    }
    await expect(readRegularFileWith(denoFileAccess(deno))('/link', 4096)).resolves.toMatchObject({
      left: { kind: 'not-regular-file', detail: 'the path is a symbolic link (not followed)' },
    })
  })
})

describe('bunFileAccess', () => {
  it('reads through Bun.file once lstat has passed', async () => {
    const bun = {
      file: (path: string) => ({
        arrayBuffer: async () => utf8(`contents of ${path}`).buffer as ArrayBuffer,
      }),
    }
    const readFile = readRegularFileWith(bunFileAccess(bun, async () => regular(30)))
    await expect(readFile('/token', 4096)).resolves.toEqual({ _tag: 'Right', right: 'contents of /token' })
  })

  it.each([
    ['ENOENT', 'not-found'],
    ['ENOTDIR', 'not-found'],
    ['EACCES', 'permission'],
    ['EPERM', 'permission'],
    ['ELOOP', 'not-regular-file'],
    ['EIO', 'other'],
  ] as const)('classifies errno %s as %s', (code, kind) => {
    expect(classifyErrnoError(Object.assign(new Error(code), { code }))).toBe(kind)
  })
})

describe('outside their runtime', () => {
  it('denoReadFile and bunReadFile resolve as unsupported on Node', async () => {
    await expect(denoReadFile('/etc/hostname', 4096)).resolves.toMatchObject({
      left: { kind: 'unsupported' },
    })
    await expect(bunReadFile('/etc/hostname', 4096)).resolves.toMatchObject({ left: { kind: 'unsupported' } })
  })
})
