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
import {
  type FileFacts,
  type FileFailure,
  type FileFailureKind,
  fileFailure,
  grewPastLimit,
  refuseFile,
} from '@azmi/core'
import type { Either } from 'fp-ts/lib/Either.js'
import { left, right } from 'fp-ts/lib/Either.js'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/** What `lstat` says about a path, in the terms the core's file rules need. */
export type EntryFacts = FileFacts

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
 * mark or final newline is kept), or with a `FileFailure`; it never rejects. What is refused
 * is the core's rule (`refuseFile`), the same in every shell.
 */
export const readRegularFileWith =
  (access: FileAccess): ReadFile =>
  async (path, maxBytes) => {
    try {
      const refusal = refuseFile(await access.lstat(path), maxBytes)
      if (refusal !== undefined) return left(refusal)
      const bytes = await access.readBytes(path)
      return bytes.byteLength > maxBytes
        ? left(grewPastLimit(maxBytes))
        : right(new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes))
    } catch (error) {
      return left(fileFailure(access.classify(error), describeFileError(error)))
    }
  }

/** The runtime's own words: its error name and message name the path, never the contents. */
const describeFileError = (error: unknown): string =>
  error instanceof Error ? `${error.name}: ${error.message}` : String(error)
