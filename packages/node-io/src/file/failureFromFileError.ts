/**
 * `node:fs` errors, mapped onto the core's `FileFailureKind`s by their `code`.
 *
 * @since 0.1.0
 */
import type { FileFailure, FileFailureKind } from '@azmi/core'
import { fileFailure } from '@azmi/core'

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

/**
 * Classify an error from `lstat`, `open` or `read`. The detail is Node's message, which names
 * the operation and the path (paths are not secret) and never the file's contents.
 */
export const failureFromFileError = (error: unknown): FileFailure => {
  const code =
    typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string'
      ? error.code
      : undefined
  const kind = code === undefined ? 'other' : (KIND_OF_CODE.get(code) ?? 'other')
  return fileFailure(kind, error instanceof Error ? error.message : 'unknown file system error')
}
