/**
 * The `platform` capability: the host facts the core cannot look up itself (docs/protocol.md
 * §1.1) — which operating system rules apply (Arc's key directory), and whether the Azure Arc
 * agent is installed, checked once, when the credential is built (§2.4).
 *
 * @since 0.1.0
 */
import { existsSync } from 'node:fs'
import { arcAgentPath, type Platform } from '@azmi/core'

/**
 * Describe the host from `process.platform`, `%ProgramData%`, `%ProgramFiles%` and whether the
 * Arc agent's `himds` binary exists. Each is a parameter, with the running process as default,
 * so every branch can be tested without touching globals.
 */
export const nodePlatform = (
  os: NodeJS.Platform = process.platform,
  env: Readonly<Record<string, string | undefined>> = process.env,
  exists: (path: string) => boolean = existsSync,
): Platform => {
  const name: Platform['os'] = os === 'linux' || os === 'win32' ? os : 'other'
  const given = (value: string | undefined) => (value === undefined || value === '' ? undefined : value)
  const programData = given(env.ProgramData)
  const programFiles = given(env.ProgramFiles)
  const facts: Platform = {
    os: name,
    ...(programData !== undefined && { programData }),
    ...(programFiles !== undefined && { programFiles }),
  }
  const agent = arcAgentPath(facts)
  return agent !== undefined && exists(agent) ? { ...facts, arcAgentInstalled: true } : facts
}
