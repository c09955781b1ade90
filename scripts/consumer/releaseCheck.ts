/**
 * `pnpm release:check` (after `pnpm build`): packs every public package with pnpm into a
 * temporary folder and checks each tarball as the registry would serve it: LICENSE (the
 * root's), README and package.json inside, not private, no `workspace:` range left, the one
 * Node floor, then publint (strict: warnings fail too) and attw. Prints each tarball's size
 * and file count; exits 1 on any problem.
 *
 * @module
 */
import { execFileSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { checkTypes } from './areTheTypesWrong.js'
import { extractTarball, packPublicPackages, ROOT, type Tarball } from './tarballs.js'

const NODE_FLOOR = (
  JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
    engines: { node: string }
  }
).engines.node

const DEPENDENCY_FIELDS = ['dependencies', 'peerDependencies', 'optionalDependencies'] as const

/** What is wrong with a tarball's contents and manifest, before any linter looks at it. */
const manifestProblems = ({ files, manifest }: Tarball): ReadonlyArray<string> => {
  const problems: string[] = []
  for (const required of ['LICENSE', 'README.md', 'package.json']) {
    if (!files.includes(required)) problems.push(`${required} missing from the tarball`)
  }
  if (manifest.private === true) problems.push('"private": true')
  const engines = manifest.engines as { node?: string } | undefined
  if (engines?.node !== NODE_FLOOR) problems.push(`engines.node is ${engines?.node}, not ${NODE_FLOOR}`)
  for (const field of DEPENDENCY_FIELDS) {
    const ranges = (manifest[field] ?? {}) as Record<string, string>
    for (const [name, range] of Object.entries(ranges)) {
      if (range.startsWith('workspace:')) problems.push(`${field}.${name} is still ${range}`)
    }
  }
  return problems
}

/** The LICENSE a package's `prepack` copied in must be the root's, not a stale copy. */
const licenseProblems = (unpacked: string): ReadonlyArray<string> => {
  const path = join(unpacked, 'LICENSE')
  if (!existsSync(path)) return []
  return readFileSync(path, 'utf8') === readFileSync(join(ROOT, 'LICENSE'), 'utf8')
    ? []
    : ['LICENSE differs from the root LICENSE']
}

/** publint, strict, on the tarball itself; its output, and whether it passed. */
const publint = (tarball: Tarball): { readonly ok: boolean; readonly report: string } => {
  const bin = join(ROOT, 'node_modules', '.bin', 'publint')
  try {
    return { ok: true, report: execFileSync(bin, ['run', tarball.path, '--strict'], { encoding: 'utf8' }) }
  } catch (error) {
    const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string }
    return { ok: false, report: `${stdout}${stderr}` }
  }
}

/** publint's report without its "Running…", "Unpacking…", "Linting…" progress lines. */
const withoutProgress = (report: string): string =>
  report
    .split('\n')
    .filter((line) => !/^(Running publint|Unpacking tarball|Linting)/.test(line))
    .join('\n')

const indent = (label: string, text: string): string => text.trim().replace(/^/gm, `  ${label}: `)

/** Every check on one tarball; resolves to the number of failed checks. */
const checkTarball = async (tarball: Tarball, scratch: string): Promise<number> => {
  const { pkg, bytes, files, manifest } = tarball
  console.log(
    `\n::: ${pkg.name}@${String(manifest.version)}: ${(bytes / 1024).toFixed(1)} KiB, ${files.length} files`,
  )
  let failed = 0
  const folder = join(scratch, pkg.folder)
  extractTarball(tarball.path, folder)
  const problems = [...manifestProblems(tarball), ...licenseProblems(join(folder, 'package'))]
  for (const problem of problems) console.log(`  contents: ${problem}`)
  if (problems.length > 0) failed += 1
  const lint = publint(tarball)
  console.log(indent('publint --strict', withoutProgress(lint.report)))
  if (!lint.ok) failed += 1
  const types = checkTypes(tarball)
  // attw's table is long: shown when it finds a problem, one line otherwise.
  console.log(indent(`attw --profile ${pkg.attwProfile}`, types.ok ? 'no problems' : types.report))
  if (!types.ok) failed += 1
  return failed
}

const main = async (): Promise<number> => {
  const scratch = mkdtempSync(join(tmpdir(), 'azmi-release-check-'))
  try {
    const tarballs = packPublicPackages(join(scratch, 'tarballs'))
    let failed = 0
    for (const tarball of tarballs) failed += await checkTarball(tarball, scratch)
    console.log('\n| package | tarball | size | files |\n|---|---|---|---|')
    for (const { pkg, path, bytes, files } of tarballs) {
      console.log(
        `| ${pkg.name} | ${path.split('/').pop()} | ${(bytes / 1024).toFixed(1)} KiB | ${files.length} |`,
      )
    }
    console.log(`\nrelease:check: ${tarballs.length} tarballs, ${failed} failed checks`)
    return failed === 0 ? 0 : 1
  } finally {
    rmSync(scratch, { recursive: true, force: true })
  }
}

process.exitCode = await main()
