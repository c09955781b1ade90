/**
 * The one Node built-in the Bun adapter needs: `lstat`, which Bun implements and its own
 * `Bun.file` API lacks (`BunFile.stat` follows links).
 *
 * Declared by hand because this package compiles with `types: []` (no `@types/node`). Only
 * `src/bun.ts`, a separate entry point, reaches the module that imports it; the main entry
 * stays free of `node:` imports, which the neutral-platform bundle test checks.
 *
 * `lstat` resolves with `fs.Stats`, declared here only as far as the adapter reads it: where
 * `@types/node` is present too (the tests, which also compile node-io), the two `Stats`
 * merge and Node code calling `lstat` still gets the full `Stats`.
 */
declare module 'fs' {
  /** The part of `fs.Stats` the Bun adapter reads. */
  interface Stats {
    isFile(): boolean
    isSymbolicLink(): boolean
    size: number
  }
}

declare module 'node:fs/promises' {
  export function lstat(path: string): Promise<import('fs').Stats>
}
