/**
 * Finding Azure Arc by its agent (docs/protocol.md §1.2 rule 4, §2.4): a service on an Arc
 * server (a systemd unit, say) does not inherit the agent's variables, but the agent is there
 * and listens on its default endpoints. The shell reports whether its `himds` binary exists.
 *
 * @since 0.2.0
 */
import type { Platform } from '../capabilities.js'

/** The agent's token endpoint when `IDENTITY_ENDPOINT` is not set. */
export const ARC_AGENT_IDENTITY_ENDPOINT = 'http://127.0.0.1:40342/metadata/identity/oauth2/token'
/** The agent's endpoint when `IMDS_ENDPOINT` is not set. */
export const ARC_AGENT_IMDS_ENDPOINT = 'http://127.0.0.1:40342'

const LINUX_AGENT = '/opt/azcmagent/bin/himds'
const WINDOWS_AGENT = 'AzureConnectedMachineAgent\\himds.exe'

/**
 * Where the agent's binary is on this platform, for the shell to check (and `explain` to
 * name); `undefined` where Arc has no agent (or `%ProgramFiles%` is unknown).
 */
export const arcAgentPath = (platform: Pick<Platform, 'os' | 'programFiles'>): string | undefined => {
  if (platform.os === 'linux') return LINUX_AGENT
  if (platform.os !== 'win32') return undefined
  const programFiles = platform.programFiles?.replace(/[\\/]+$/, '')
  return programFiles === undefined || programFiles === '' ? undefined : `${programFiles}\\${WINDOWS_AGENT}`
}
