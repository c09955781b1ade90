/**
 * The `readFile` capability, once, over whatever file API a runtime offers.
 *
 * It serves the Arc key file and the workload-identity token file, whose paths partly come
 * from outside (Arc's path arrives in a server's challenge). So before reading a byte it
 * refuses symbolic links (never followed), anything that is not a regular file (a FIFO would
 * block the read forever) and files over `maxBytes`; after reading, it checks the size again,
 * in case the file grew in between. Deno and Bun differ only in the {@link FileAccess} they
 * provide.
 *
 * Unlike node-io, which re-checks an opened descriptor with `O_NOFOLLOW`, Deno and Bun expose
 * no such open flags, so a file swapped for a link between the check and the read is not
 * caught here; that needs write access to the directory, which for Arc is the agent's own.
 *
 * @since 0.1.0
 */
import type { FileFailure, FileFailureKind } from '@azmi/core'
import { fileFailure } from '@azmi/core'
import type { Either } from 'fp-ts/lib/Either.js'
import { left, right } from 'fp-ts/lib/Either.js'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/** What `lstat` says about a path, in the terms the checks need. */
export interface EntryFacts {
  readonly isSymlink: boolean
  readonly isFile: boolean
  readonly size: number
}

/** The three things a runtime must provide to read files safely. */
export interface FileAccess {
  /** Facts about the path itself, not following a final symbolic link. */
  readonly lstat: (path: string) => Promise<EntryFacts>
  readonly readBytes: (path: string) => Promise<Uint8Array>
  /** Which failure a thrown runtime error is (not found, permission, ...). */
  readonly classify: (error: unknown) => FileFailureKind
}

/** The shape of `Capabilities['readFile']`. */
export type ReadFile = (path: string, maxBytes: number) => Promise<Either<FileFailure, string>>

// -------------------------------------------------------------------------------------
// constructors
// -------------------------------------------------------------------------------------

/**
 * A `readFile` over `access`: resolves with the file's UTF-8 text, unchanged (a byte-order
 * mark or final newline is kept), or with a `FileFailure`; it never rejects.
 */
export const readRegularFileWith =
  (access: FileAccess): ReadFile =>
  async (path, maxBytes) => {
    try {
      const refusal = refuseEntry(await access.lstat(path), maxBytes)
      if (refusal !== undefined) return left(refusal)
      return decodeWithinCap(await access.readBytes(path), maxBytes)
    } catch (error) {
      return left(fileFailure(access.classify(error), describeFileError(error)))
    }
  }

// -------------------------------------------------------------------------------------
// internals
// -------------------------------------------------------------------------------------

/** Why this entry may not be read under `maxBytes`, if it may not. */
const refuseEntry = (facts: EntryFacts, maxBytes: number): FileFailure | undefined => {
  if (facts.isSymlink) return fileFailure('not-regular-file', 'the path is a symbolic link (not followed)')
  if (!facts.isFile) return fileFailure('not-regular-file', 'the path is not a regular file')
  if (facts.size > maxBytes) {
    return fileFailure('too-large', `the file has ${facts.size} bytes, over the limit of ${maxBytes}`)
  }
  return undefined
}

const decodeWithinCap = (bytes: Uint8Array, maxBytes: number): Either<FileFailure, string> =>
  bytes.byteLength > maxBytes
    ? left(fileFailure('too-large', `the file grew past the limit of ${maxBytes} bytes while it was read`))
    : right(new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes))

/** The runtime's own words: its error name and message name the path, never the contents. */
const describeFileError = (error: unknown): string =>
  error instanceof Error ? `${error.name}: ${error.message}` : String(error)
