/**
 * `readFile` for Bun: `lstat` from Bun's `node:fs` to refuse links and non-regular files,
 * then `Bun.file` to read.
 *
 * This module imports `node:fs/promises`, so only the separate entry `@azmi/fetch-io/bun`
 * exposes it; the main entry must bundle for any platform.
 *
 * @see https://bun.sh/docs/api/file-io
 * @since 0.1.0
 */
import { lstat } from 'node:fs/promises'
import { type FileFailureKind, fileFailure, fileFailureKindOfCode } from '@azmi/core'
import { left } from 'fp-ts/lib/Either.js'
import type { EntryFacts, FileAccess, ReadFile } from './readRegularFile.js'
import { readRegularFileWith } from './readRegularFile.js'
import type { BunFileSystem } from './runtimeGlobals.js'

/**
 * The `readFile` capability on Bun: a regular file, never through a symbolic link, at most
 * `maxBytes`, as UTF-8. `Bun` is looked up on `globalThis` at each call; elsewhere it
 * resolves with an `unsupported` failure.
 *
 * @example
 * ```ts
 * import { fetchCapabilities } from '@azmi/fetch-io'
 * import { bunReadFile } from '@azmi/fetch-io/bun'
 *
 * const capabilities = fetchCapabilities({ readFile: bunReadFile, platform: { os: 'linux' } })
 * ```
 */
export const bunReadFile: ReadFile = (path, maxBytes) => {
  const bun = (globalThis as { readonly Bun?: BunFileSystem }).Bun
  if (bun === undefined) {
    return Promise.resolve(left(fileFailure('unsupported', 'bunReadFile runs only on Bun (no global Bun)')))
  }
  return readRegularFileWith(bunFileAccess(bun, lstatFacts))(path, maxBytes)
}

/** {@link FileAccess} over a `Bun` namespace and an `lstat`; exported so it can be tested with stand-ins. */
export const bunFileAccess = (
  bun: BunFileSystem,
  lstatPath: (path: string) => Promise<EntryFacts>,
): FileAccess => ({
  lstat: lstatPath,
  readBytes: async (path) => new Uint8Array(await bun.file(path).arrayBuffer()),
  classify: classifyErrnoError,
})

const lstatFacts = async (path: string): Promise<EntryFacts> => {
  const stats = await lstat(path)
  return { isSymlink: stats.isSymbolicLink(), isFile: stats.isFile(), size: stats.size }
}

/** Bun reports file errors as Node does, with an errno `code`; the code decides (the core's table), not the message. */
export const classifyErrnoError = (error: unknown): FileFailureKind => {
  const code =
    typeof error === 'object' && error !== null ? (error as { readonly code?: unknown }).code : undefined
  return fileFailureKindOfCode(typeof code === 'string' ? code : undefined)
}
