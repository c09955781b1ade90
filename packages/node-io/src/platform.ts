/**
 * The `platform` capability: which operating system rules apply (Arc's key directory).
 *
 * @since 0.1.0
 */
import type { Platform } from '@azmi/core'

/**
 * Describe the platform from `process.platform` and `%ProgramData%`. Both are parameters, with
 * the running process as default, so every branch can be tested without touching globals.
 */
export const nodePlatform = (
  os: NodeJS.Platform = process.platform,
  env: Readonly<Record<string, string | undefined>> = process.env,
): Platform => {
  const name = os === 'linux' || os === 'win32' ? os : 'other'
  const programData = env.ProgramData
  return programData === undefined || programData === '' ? { os: name } : { os: name, programData }
}
