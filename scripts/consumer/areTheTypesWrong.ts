/**
 * `@arethetypeswrong/cli` on one packed tarball: `attw <tarball> --profile <profile>`.
 *
 * attw 0.18 needs fflate 0.8.2 (a `pnpm.overrides` entry pins it): with 0.8.3 it fails on
 * every tarball ("Cannot read properties of undefined (reading 'filename')", arethetypeswrong
 * issue 262).
 *
 * @module
 */
import { execFileSync } from 'node:child_process'
import { join } from 'node:path'
import { ROOT, type Tarball } from './tarballs.js'

/** attw's verdict on a tarball. */
export interface TypesVerdict {
  readonly ok: boolean
  readonly report: string
}

const attw = (
  tarball: Tarball,
  format: 'json' | 'ascii',
): { readonly code: number; readonly output: string } => {
  const bin = join(ROOT, 'node_modules', '.bin', 'attw')
  const args = [tarball.path, '--profile', tarball.pkg.attwProfile, '--format', format]
  try {
    return { code: 0, output: execFileSync(bin, args, { encoding: 'utf8' }) }
  } catch (error) {
    const {
      status = 1,
      stdout = '',
      stderr = '',
    } = error as { status?: number; stdout?: string; stderr?: string }
    return { code: status, output: `${stdout}${stderr}` }
  }
}

/**
 * Ok when attw finds types and no problem its profile counts (an untyped package is not ok,
 * although attw's own exit code lets it pass).
 */
export const checkTypes = (tarball: Tarball): TypesVerdict => {
  const json = attw(tarball, 'json')
  const analysis = JSON.parse(json.output.slice(json.output.indexOf('{'))) as { analysis: { types: unknown } }
  if (analysis.analysis.types === false)
    return { ok: false, report: `${tarball.pkg.name}: attw found no types` }
  if (json.code === 0) return { ok: true, report: 'no problems' }
  return { ok: false, report: attw(tarball, 'ascii').output }
}
