/**
 * The few members of the `Deno` and `Bun` globals that the file adapters use.
 *
 * Declared here rather than taken from `@types/deno` / `bun-types`: those would bring their
 * whole runtime into every compilation of this package, and the fence of `types: []` is what
 * keeps the main bundle web-standard. The adapters look these globals up on `globalThis` when
 * called, and refuse cleanly where they are missing.
 *
 * @since 0.1.0
 */

/** `Deno.FileInfo`, as far as the checks need it. */
export interface DenoFileInfo {
  readonly isFile: boolean
  readonly isSymlink: boolean
  readonly size: number
}

/** An error class from `Deno.errors`. */
export type DenoErrorClass = abstract new (...args: never[]) => Error

/** The part of the `Deno` namespace that `denoReadFile` uses. */
export interface DenoFileSystem {
  lstat(path: string): Promise<DenoFileInfo>
  readFile(path: string): Promise<Uint8Array>
  readonly errors: {
    readonly NotFound: DenoErrorClass
    /** The operating system refused. */
    readonly PermissionDenied: DenoErrorClass
    /** Deno's own sandbox refused (`--allow-read` does not cover the path); Deno 2 and later. */
    readonly NotCapable?: DenoErrorClass
  }
}

/** The part of a `BunFile` that `bunReadFile` uses. */
export interface BunFileHandle {
  arrayBuffer(): Promise<ArrayBuffer>
}

/** The part of the `Bun` namespace that `bunReadFile` uses. */
export interface BunFileSystem {
  file(path: string): BunFileHandle
}
