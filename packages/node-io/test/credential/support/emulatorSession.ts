/**
 * What the credential tests share: the scope they ask for, the requests one environment
 * received, and which user-assigned identity option each identity kind passes.
 */
import type { Emulator, EnvironmentName, RecordedRequest, UserAssignedIdentity } from '@azmi/emulator'

export const SCOPE = 'https://storage.azure.com/.default'
/** The resource IMDS-style endpoints receive for {@link SCOPE} (protocol.md §1.4). */
export const RESOURCE = 'https://storage.azure.com'

/** The Arc challenge's key directory on Linux, the only one a careful client reads from. */
export const LINUX_ARC_KEY_DIRECTORY = '/var/opt/azcmagent/tokens'

/**
 * Whether the emulator writes Arc key files where the credential will read them: only as
 * root on Linux (as CI runs). Elsewhere the emulator falls back to a temporary directory,
 * which the credential rightly refuses, so tests that need the real directory are skipped.
 */
export const usesRealArcKeyDirectory = process.platform === 'linux' && process.getuid?.() === 0

export type IdentityKind = 'system' | 'clientId' | 'objectId' | 'resourceId'

/** The requests `environment` received, oldest first. */
export const requestsTo = (
  emulator: Emulator,
  environment: EnvironmentName,
): ReadonlyArray<RecordedRequest> =>
  emulator.requests.filter((request) => request.environment === environment)

/** The single request `environment` received; fails the test when there were more or none. */
export const onlyRequestTo = (emulator: Emulator, environment: EnvironmentName): RecordedRequest => {
  const requests = requestsTo(emulator, environment)
  if (requests.length !== 1 || requests[0] === undefined)
    throw new Error(`expected exactly one request to ${environment}, got ${requests.length}`)
  return requests[0]
}

/** The credential option naming `identity` the way `kind` says (none for `system`). */
export const identityOption = (
  kind: IdentityKind,
  identity: UserAssignedIdentity,
): { clientId?: string; objectId?: string; resourceId?: string } =>
  kind === 'system' ? {} : { [kind]: identity[kind] }

/**
 * Resolve once `condition` holds, checking every few milliseconds. It sets no limit of its
 * own: if the condition never holds, the test's own timeout reports it.
 */
export const until = async (condition: () => boolean): Promise<void> => {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 5))
}
