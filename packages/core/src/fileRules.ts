/**
 * The rules every `readFile` capability follows, whatever file API its runtime offers
 * (docs/protocol.md §2.4, §2.7): which entries it refuses before reading a byte, what it says
 * when a file grew past the cap while it was read, and how the errno codes runtimes report
 * map onto the core's failure kinds. Shells keep only the calls their runtime forces on them.
 *
 * @since 0.2.0
 */
import { type FileFailure, type FileFailureKind, fileFailure } from './capabilities.js'

/** What an `lstat` (which does not follow a final symbolic link) says about a path. */
export interface FileFacts {
  /** The path itself is a symbolic link. */
  readonly isSymlink: boolean
  /** The path is a regular file. */
  readonly isFile: boolean
  /** Its size in bytes. */
  readonly size: number
}

/**
 * Why an entry may not be read under `maxBytes`, if it may not: symbolic links are never
 * followed, anything but a regular file is refused (a FIFO would block the read forever), and
 * so is a file larger than the cap.
 */
export const refuseFile = (facts: FileFacts, maxBytes: number): FileFailure | undefined => {
  if (facts.isSymlink) return fileFailure('not-regular-file', 'the path is a symbolic link (not followed)')
  if (!facts.isFile) return fileFailure('not-regular-file', 'the path is not a regular file')
  if (facts.size > maxBytes)
    return fileFailure('too-large', `the file has ${facts.size} bytes, over the limit of ${maxBytes}`)
  return undefined
}

/** The file was within the cap when checked, then more than `maxBytes` were read. */
export const grewPastLimit = (maxBytes: number): FileFailure =>
  fileFailure('too-large', `the file grew past the limit of ${maxBytes} bytes while it was read`)

const KIND_OF_CODE: ReadonlyMap<string, FileFailureKind> = new Map([
  ['ENOENT', 'not-found'],
  // a path component is a file, so the path names nothing
  ['ENOTDIR', 'not-found'],
  ['EACCES', 'permission'],
  ['EPERM', 'permission'],
  // `O_NOFOLLOW` met a symbolic link that replaced the file after `lstat`
  ['ELOOP', 'not-regular-file'],
  ['EISDIR', 'not-regular-file'],
])

/** The failure kind of an errno `code` (`ENOENT`, `EACCES`, …) as Node and Bun report them. */
export const fileFailureKindOfCode = (code: string | undefined): FileFailureKind =>
  code === undefined ? 'other' : (KIND_OF_CODE.get(code) ?? 'other')
