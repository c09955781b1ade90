/**
 * A fresh consumer project outside the workspace: a folder under the system's temporary
 * directory with a package.json naming the packed tarballs (`file:` paths) and registry
 * packages, installed with one plain `npm install` sharing one npm cache. Nothing comes from
 * the workspace: every `@azmi/*` package, including those the wanted ones depend on, is a
 * tarball, and the install is checked to have taken each from its tarball.
 *
 * @module
 */
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { expectSuccess, installEnvironment, runCommand } from './commands.js'
import type { Tarball } from './tarballs.js'

/** What a consumer project is made of. */
export interface ProjectSpec {
  /** Its folder name, and the name in its package.json. */
  readonly name: string
  /** The `@azmi/*` packages it installs; what they depend on comes along, from tarballs too. */
  readonly wants: ReadonlyArray<string>
  /** Registry packages, name → exact version. */
  readonly registry?: Readonly<Record<string, string>>
  /** A folder under `fixtures/` copied into the project. */
  readonly fixtures?: string
}

const FIXTURES = new URL('./fixtures/', import.meta.url)

/** `wants` and every `@azmi/*` package they depend on, as the packed manifests say. */
const withAzmiDependencies = (
  wants: ReadonlyArray<string>,
  byName: ReadonlyMap<string, Tarball>,
): ReadonlyArray<string> => {
  const closure = new Set<string>()
  const visit = (name: string): void => {
    const tarball = byName.get(name)
    if (tarball === undefined) throw new Error(`${name} is not a packed public package`)
    if (closure.has(name)) return
    closure.add(name)
    const dependencies = (tarball.manifest.dependencies ?? {}) as Record<string, string>
    for (const dependency of Object.keys(dependencies)) if (dependency.startsWith('@azmi/')) visit(dependency)
  }
  for (const name of wants) visit(name)
  return [...closure].sort()
}

/** Throws unless every installed `@azmi/*` package is the tarball's, at the top level, once. */
const checkInstalledFromTarballs = (folder: string, names: ReadonlyArray<string>): void => {
  const lock = JSON.parse(readFileSync(join(folder, 'package-lock.json'), 'utf8')) as {
    packages: Record<string, { resolved?: string }>
  }
  for (const [path, entry] of Object.entries(lock.packages)) {
    const name = path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length)
    if (!name.startsWith('@azmi/')) continue
    if (path !== `node_modules/${name}`) throw new Error(`${name} installed twice, at ${path}`)
    if (entry.resolved?.startsWith('file:') !== true) {
      throw new Error(`${name} was not installed from its tarball (resolved: ${entry.resolved})`)
    }
  }
  for (const name of names) {
    if (lock.packages[`node_modules/${name}`] === undefined) throw new Error(`${name} is not installed`)
  }
}

/** Options of {@link installProject}. */
export interface InstallOptions {
  readonly folder: string
  readonly tarballs: ReadonlyArray<Tarball>
  /** The npm cache every project shares. */
  readonly cache: string
}

/** Writes the project into `folder` and installs it; resolves when npm is done and checked. */
export const installProject = async (
  spec: ProjectSpec,
  { folder, tarballs, cache }: InstallOptions,
): Promise<void> => {
  const byName = new Map(tarballs.map((tarball) => [tarball.pkg.name, tarball]))
  const azmi = withAzmiDependencies(spec.wants, byName)
  const dependencies: Record<string, string> = { ...spec.registry }
  for (const name of azmi) dependencies[name] = `file:${byName.get(name)?.path}`
  mkdirSync(folder, { recursive: true })
  if (spec.fixtures !== undefined) cpSync(new URL(spec.fixtures, FIXTURES), folder, { recursive: true })
  const manifest = { name: `azmi-consumer-${spec.name}`, private: true, dependencies }
  writeFileSync(join(folder, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`)
  const install = await runCommand(
    'npm',
    ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error', '--cache', cache],
    { cwd: folder, env: installEnvironment(), timeoutMs: 300_000 },
  )
  expectSuccess(`npm install in ${folder}`, install)
  checkInstalledFromTarballs(folder, azmi)
}
