/**
 * `node:fs` errors, mapped onto the core's `FileFailureKind`s by their `code` (the core's
 * table, shared with every shell).
 *
 * @since 0.1.0
 */
import { type FileFailure, fileFailure, fileFailureKindOfCode } from '@azmi/core'

/**
 * Classify an error from `lstat`, `open` or `read`. The detail is Node's message, which names
 * the operation and the path (paths are not secret) and never the file's contents.
 */
export const failureFromFileError = (error: unknown): FileFailure => {
  const code =
    typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string'
      ? error.code
      : undefined
  return fileFailure(
    fileFailureKindOfCode(code),
    error instanceof Error ? error.message : 'unknown file system error',
  )
}
