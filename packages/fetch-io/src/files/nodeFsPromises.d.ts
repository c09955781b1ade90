/**
 * The one Node built-in the Bun adapter needs: `lstat`, which Bun implements and its own
 * `Bun.file` API lacks (`BunFile.stat` follows links).
 *
 * Declared by hand because this package compiles with `types: []` (no `@types/node`). Only
 * `src/bun.ts`, a separate entry point, reaches the module that imports it; the main entry
 * stays free of `node:` imports, which the neutral-platform bundle test checks.
 */
declare module 'node:fs/promises' {
  /** The part of `fs.Stats` the Bun adapter reads. */
  interface LstatFacts {
    isFile(): boolean
    isSymbolicLink(): boolean
    readonly size: number
  }
  export function lstat(path: string): Promise<LstatFacts>
}
