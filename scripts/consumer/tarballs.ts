/**
 * The published packages as npm users receive them: which packages are public, how attw judges
 * each, and packing them with pnpm into tarballs.
 *
 * Packing is pnpm's job, never npm's: `pnpm pack` (like `pnpm publish`) rewrites each
 * `workspace:*` dependency to the exact version, while `npm pack` would ship `workspace:*` and
 * the tarball could not be installed.
 *
 * @module
 */
import { execFileSync } from 'node:child_process'
import { mkdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

/** The repository's root folder. */
export const ROOT = fileURLToPath(new URL('../../', import.meta.url))

/** A published package: its name, its folder under `packages/`, and attw's profile for it. */
export interface PublicPackage {
  readonly name: string
  readonly folder: string
  /**
   * `strict` checks node10, node16 (CommonJS and ES module) and bundler resolution. The CLI is
   * `esm-only` (attw's profile that skips node10 and CommonJS `require`): it is a command
   * whose importable entry is an ES module, and Node ≥ 20.19 loads it with `import`.
   */
  readonly attwProfile: 'strict' | 'esm-only'
}

/** Every public package; the root, interop, reliability, test-support and bench are private. */
export const PUBLIC_PACKAGES: ReadonlyArray<PublicPackage> = [
  { name: '@azmi/core', folder: 'core', attwProfile: 'strict' },
  { name: '@azmi/node-io', folder: 'node-io', attwProfile: 'strict' },
  { name: '@azmi/fetch-io', folder: 'fetch-io', attwProfile: 'strict' },
  { name: '@azmi/emulator', folder: 'emulator', attwProfile: 'strict' },
  { name: '@azmi/cli', folder: 'cli', attwProfile: 'esm-only' },
  { name: '@azmi/azure-pipeline', folder: 'azure-pipeline', attwProfile: 'strict' },
  { name: '@azmi/testing', folder: 'testing', attwProfile: 'strict' },
]

/** One packed package: where its tarball is, what it holds and what its manifest says. */
export interface Tarball {
  readonly pkg: PublicPackage
  readonly path: string
  readonly bytes: number
  /** Paths inside the package, without tar's `package/` prefix. */
  readonly files: ReadonlyArray<string>
  readonly manifest: Readonly<Record<string, unknown>>
}

/** pnpm as the current `pnpm run` invoked it, else the version the root's `packageManager` pins. */
const pnpmCommand = (): ReadonlyArray<string> => {
  const execPath = process.env.npm_execpath
  if (execPath?.includes('pnpm') === true) return [process.execPath, execPath]
  const { packageManager } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
    packageManager: string
  }
  return ['npx', '-y', packageManager.split('+')[0] ?? 'pnpm']
}

/** Runs pnpm in the repository's root with `args`; throws with its output if it fails. */
export const pnpm = (args: ReadonlyArray<string>): string => {
  const [command = 'pnpm', ...prefix] = pnpmCommand()
  return execFileSync(command, [...prefix, ...args], { cwd: ROOT, encoding: 'utf8', stdio: 'pipe' })
}

const tarballName = (name: string): string => `${name.replace('@', '').replace('/', '-')}`

/** The files of a tarball, as `tar` lists them, without the `package/` prefix. */
export const listTarball = (path: string): ReadonlyArray<string> =>
  execFileSync('tar', ['-tzf', path], { encoding: 'utf8' })
    .split('\n')
    .filter((line) => line !== '' && !line.endsWith('/'))
    .map((line) => line.replace(/^package\//, ''))
    .sort()

/** Extracts a tarball into `folder` (its files end up in `folder/package`). */
export const extractTarball = (path: string, folder: string): void => {
  mkdirSync(folder, { recursive: true })
  execFileSync('tar', ['-xzf', path, '-C', folder])
}

/**
 * Packs every public package with pnpm into `destination` (the packages must be built: `pack`
 * takes `dist` as it is). Each package's `prepack` copies the root LICENSE in, `postpack`
 * removes it again.
 */
export const packPublicPackages = (destination: string): ReadonlyArray<Tarball> => {
  mkdirSync(destination, { recursive: true })
  const filters = PUBLIC_PACKAGES.flatMap((pkg) => ['--filter', pkg.name])
  pnpm([...filters, '--silent', 'pack', '--pack-destination', destination])
  return PUBLIC_PACKAGES.map((pkg) => {
    const manifest = JSON.parse(readFileSync(join(ROOT, 'packages', pkg.folder, 'package.json'), 'utf8'))
    const path = join(destination, `${tarballName(pkg.name)}-${manifest.version}.tgz`)
    const packed = execFileSync('tar', ['-xzOf', path, 'package/package.json'], { encoding: 'utf8' })
    return { pkg, path, bytes: statSync(path).size, files: listTarball(path), manifest: JSON.parse(packed) }
  })
}
