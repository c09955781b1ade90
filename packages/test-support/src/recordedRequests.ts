/**
 * What the credential tests ask the emulator for and read back from it: the scope, the
 * identity a test names, the requests an environment received, and what a token or a form
 * says.
 */
import type { Emulator, EnvironmentName, RecordedRequest, UserAssignedIdentity } from '@azmi/emulator'
import { decodeJwtPayload } from '@azmi/emulator'

/** The scope the credential tests ask for. */
export const SCOPE = 'https://storage.azure.com/.default'
/** The resource IMDS-style endpoints receive for {@link SCOPE} (`docs/protocol.md §1.4`). */
export const RESOURCE = 'https://storage.azure.com'

/** How a caller names the identity it wants: not at all (system-assigned), or by one of its ids. */
export type IdentityKind = 'system' | 'clientId' | 'objectId' | 'resourceId'
/** The three ways to name a user-assigned identity. */
export type UserAssignedKind = Exclude<IdentityKind, 'system'>
/** Every {@link UserAssignedKind}. */
export const USER_ASSIGNED_KINDS: ReadonlyArray<UserAssignedKind> = ['clientId', 'objectId', 'resourceId']

/** The credential option naming `identity` the way `kind` says (none for `system`). */
export const identityOption = (
  kind: IdentityKind,
  identity: UserAssignedIdentity,
): { clientId?: string; objectId?: string; resourceId?: string } =>
  kind === 'system' ? {} : { [kind]: identity[kind] }

/** The requests `environment` received, oldest first (the challenge and keyed request count for Arc). */
export const requestsTo = (
  emulator: Emulator,
  environment: EnvironmentName,
): ReadonlyArray<RecordedRequest> =>
  emulator.requests.filter((request) => request.environment === environment)

/** Requests the emulator received at the token endpoints, not counting its 404s. */
export const tokenRequests = (emulator: Emulator): ReadonlyArray<RecordedRequest> =>
  emulator.requests.filter((request) => request.environment !== 'unknown')

/** The form fields of a request body. */
export const formOf = (request: RecordedRequest): Readonly<Record<string, string>> =>
  Object.fromEntries(new URLSearchParams(request.body))

/** The claims of an emulator-issued token that say for what, and for which identity, it is. */
export const claimsOf = (token: string) => {
  const claims = decodeJwtPayload(token) ?? {}
  return { aud: claims.aud, oid: claims.oid, appid: claims.appid }
}
