/**
 * `readFile` for Deno, over `Deno.lstat` and `Deno.readFile`.
 *
 * Deno needs `--allow-read` for the files azmi reads (the Arc key directory, the federated
 * token file); a path outside it fails as `permission`, not as a crash.
 *
 * @see https://docs.deno.com/api/deno/~/Deno.lstat
 * @since 0.1.0
 */
import type { FileFailureKind } from '@azmi/core'
import { fileFailure } from '@azmi/core'
import { left } from 'fp-ts/lib/Either.js'
import type { FileAccess, ReadFile } from './readRegularFile.js'
import { readRegularFileWith } from './readRegularFile.js'
import type { DenoFileSystem } from './runtimeGlobals.js'

/**
 * The `readFile` capability on Deno: a regular file, never through a symbolic link, at most
 * `maxBytes`, as UTF-8. `Deno` is looked up on `globalThis` at each call; elsewhere it
 * resolves with an `unsupported` failure.
 *
 * @example
 * ```ts
 * import { denoReadFile, fetchCapabilities } from '@azmi/fetch-io'
 *
 * const capabilities = fetchCapabilities({ readFile: denoReadFile, platform: { os: 'linux' } })
 * ```
 */
export const denoReadFile: ReadFile = (path, maxBytes) => {
  const deno = (globalThis as { readonly Deno?: DenoFileSystem }).Deno
  if (deno === undefined) {
    return Promise.resolve(
      left(fileFailure('unsupported', 'denoReadFile runs only on Deno (no global Deno)')),
    )
  }
  return readRegularFileWith(denoFileAccess(deno))(path, maxBytes)
}

/** {@link FileAccess} over a `Deno` namespace; exported so it can be tested with a stand-in. */
export const denoFileAccess = (deno: DenoFileSystem): FileAccess => ({
  lstat: async (path) => {
    const info = await deno.lstat(path)
    return { isSymlink: info.isSymlink, isFile: info.isFile, size: info.size }
  },
  readBytes: (path) => deno.readFile(path),
  classify: (error) => classifyDenoError(deno, error),
})

/** Deno reports causes as error classes, so classes decide, not messages. */
const classifyDenoError = (deno: DenoFileSystem, error: unknown): FileFailureKind => {
  const { NotFound, PermissionDenied, NotCapable } = deno.errors
  if (error instanceof NotFound) return 'not-found'
  if (error instanceof PermissionDenied) return 'permission'
  if (NotCapable !== undefined && error instanceof NotCapable) return 'permission'
  return 'other'
}
