/**
 * The two identities an emulator issues tokens for, and how each environment's query
 * parameters pick one of them (`docs/protocol.md §1.3`).
 *
 * @module
 */
import { randomUUID } from 'node:crypto'
import type { UserAssignedIdentity } from './model.js'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/** The system-assigned identity (used when a request names none) and one user-assigned identity. */
export interface Identities {
  readonly user: UserAssignedIdentity
  readonly system: UserAssignedIdentity
}

/** The query parameter names one environment uses for client id, object id and resource id. */
export interface IdentityParameterNames {
  readonly clientId: string
  readonly objectId: string
  readonly resourceId: string
}

/** How a request named its identity: the query parameter and the identity field it holds. */
export interface Selector {
  readonly parameter: string
  readonly field: keyof UserAssignedIdentity
}

/** The outcome of reading an identity out of a request; `selector` is absent for the system default. */
export type IdentitySelection =
  | { readonly _tag: 'found'; readonly identity: UserAssignedIdentity; readonly selector?: Selector }
  | { readonly _tag: 'notFound'; readonly parameter: string }
  | { readonly _tag: 'ambiguous'; readonly parameters: ReadonlyArray<string> }

/**
 * Every identity parameter any source sends, for the environments that accept none
 * (Service Fabric and Cloud Shell reject them rather than ignore them).
 */
export const allIdentityParameters: ReadonlyArray<string> = [
  'client_id',
  'clientid',
  'object_id',
  'principal_id',
  'msi_res_id',
  'mi_res_id',
]

// -------------------------------------------------------------------------------------
// constructors
// -------------------------------------------------------------------------------------

/** Fresh random identities in one random subscription, shaped like Azure's. */
export const createIdentities = (): Identities => {
  const resourceGroup = `/subscriptions/${randomUUID()}/resourceGroups/azmi-emulator/providers`
  return {
    user: {
      clientId: randomUUID(),
      objectId: randomUUID(),
      resourceId: `${resourceGroup}/Microsoft.ManagedIdentity/userAssignedIdentities/azmi-emulator-user`,
    },
    system: {
      clientId: randomUUID(),
      objectId: randomUUID(),
      resourceId: `${resourceGroup}/Microsoft.Compute/virtualMachines/azmi-emulator-vm`,
    },
  }
}

// -------------------------------------------------------------------------------------
// destructors
// -------------------------------------------------------------------------------------

/** The identity parameters present in a query, among `candidates`. */
export const presentIdentityParameters = (
  query: Readonly<Record<string, string>>,
  candidates: ReadonlyArray<string>,
): ReadonlyArray<string> => candidates.filter((name) => Object.hasOwn(query, name))

/**
 * The identity a request names. None named means the system-assigned identity. GUIDs and
 * Azure resource ids compare case-insensitively, as Azure compares them.
 */
export const selectIdentity = (
  identities: Identities,
  query: Readonly<Record<string, string>>,
  names: IdentityParameterNames,
): IdentitySelection => {
  const lookups: ReadonlyArray<readonly [string, keyof UserAssignedIdentity]> = [
    [names.clientId, 'clientId'],
    [names.objectId, 'objectId'],
    [names.resourceId, 'resourceId'],
  ]
  const named = lookups.filter(([parameter]) => Object.hasOwn(query, parameter))
  const [only, ...others] = named
  if (only === undefined) return { _tag: 'found', identity: identities.system }
  if (others.length > 0) return { _tag: 'ambiguous', parameters: named.map(([parameter]) => parameter) }
  const [parameter, field] = only
  const wanted = (query[parameter] ?? '').toLowerCase()
  const identity = [identities.user, identities.system].find((each) => each[field].toLowerCase() === wanted)
  return identity === undefined
    ? { _tag: 'notFound', parameter }
    : { _tag: 'found', identity, selector: { parameter, field } }
}

/** The one of the two identities that is not `identity` (what a lying endpoint issues instead). */
export const otherIdentity = (
  identities: Identities,
  identity: UserAssignedIdentity,
): UserAssignedIdentity => (identity === identities.user ? identities.system : identities.user)
