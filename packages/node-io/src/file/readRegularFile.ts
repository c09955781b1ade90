/**
 * The `readFile` capability: read a small regular file, and nothing else.
 *
 * It serves the Arc key file and the workload-identity token file, whose paths partly come
 * from outside (Arc's path arrives in a server's challenge). So it refuses, before reading a
 * byte: symbolic links (never followed), directories, FIFOs, sockets and devices (a FIFO
 * would block the open forever), and files over `maxBytes`. The checks run twice: `lstat` on
 * the path before opening, then `fstat` on the opened descriptor, so a file swapped in between
 * (a link, a FIFO, a bigger file) is caught too.
 *
 * @since 0.1.0
 */

import type { Stats } from 'node:fs'
import { constants } from 'node:fs'
import type { FileHandle } from 'node:fs/promises'
import { lstat, open } from 'node:fs/promises'
import { type FileFailure, grewPastLimit, refuseFile } from '@azmi/core'
import type { Either } from 'fp-ts/lib/Either.js'
import { left, right } from 'fp-ts/lib/Either.js'
import { failureFromFileError } from './failureFromFileError.js'

/**
 * `O_NOFOLLOW` fails the open if the last path component became a link; `O_NONBLOCK` keeps a
 * FIFO swapped in after `lstat` from blocking the open. Windows has neither (they are then 0)
 * and relies on the `lstat`/`fstat` checks alone.
 */
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0)

const READ_CHUNK_BYTES = 16_384

/** Why `stats` may not be read under `maxBytes`, if it may not: the core's rule, as in every shell. */
const refusal = (stats: Stats, maxBytes: number): FileFailure | undefined =>
  refuseFile({ isSymlink: stats.isSymbolicLink(), isFile: stats.isFile(), size: stats.size }, maxBytes)

/**
 * Read at most `maxBytes` from `handle`, and fail if there is more: the file may have grown
 * since `fstat`, and the limit is on what is read, not on what was announced.
 */
const readCapped = async (handle: FileHandle, maxBytes: number): Promise<Either<FileFailure, Buffer>> => {
  const chunks: Buffer[] = []
  let total = 0
  for (;;) {
    const chunk = Buffer.alloc(Math.min(READ_CHUNK_BYTES, maxBytes - total + 1))
    const { bytesRead } = await handle.read(chunk, 0, chunk.length, null)
    if (bytesRead === 0) return right(Buffer.concat(chunks, total))
    total += bytesRead
    if (total > maxBytes) return left(grewPastLimit(maxBytes))
    chunks.push(chunk.subarray(0, bytesRead))
  }
}

const readOpened = async (path: string, maxBytes: number): Promise<Either<FileFailure, string>> => {
  const handle = await open(path, OPEN_FLAGS)
  try {
    const swapped = refusal(await handle.stat(), maxBytes)
    if (swapped !== undefined) return left(swapped)
    const bytes = await readCapped(handle, maxBytes)
    // UTF-8 exactly as stored: no trimming, a byte-order mark or final newline is kept
    return bytes._tag === 'Left' ? bytes : right(bytes.right.toString('utf8'))
  } finally {
    await handle.close()
  }
}

/**
 * Read the regular file at `path` as UTF-8 text, unchanged, if it is at most `maxBytes` long.
 * Resolves with a `FileFailure` (never rejects) whose detail never contains the contents.
 */
export const readRegularFile = async (
  path: string,
  maxBytes: number,
): Promise<Either<FileFailure, string>> => {
  try {
    const refused = refusal(await lstat(path), maxBytes)
    return refused === undefined ? await readOpened(path, maxBytes) : left(refused)
  } catch (error) {
    return left(failureFromFileError(error))
  }
}
