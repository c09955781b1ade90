/**
 * Which identity the caller asks for: the system-assigned one, or a user-assigned one named
 * by exactly one of client id, object id or resource id (docs/protocol.md §1.3).
 *
 * @since 0.1.0
 */
import * as E from 'fp-ts/lib/Either.js'
import {
  type InvalidConfiguration,
  invalidConfiguration,
  type UnsupportedIdentity,
  unsupportedIdentity,
} from './errors.js'
import type { SourceName } from './sourceList.js'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/** The identity a credential asks for. */
export type Identity =
  | {
      /** The hosting environment's own identity. */
      readonly _tag: 'SystemAssigned'
    }
  | {
      /** A user-assigned identity named by its client id. */
      readonly _tag: 'ClientId'
      /** The client id. */
      readonly value: string
    }
  | {
      /** A user-assigned identity named by its object id. */
      readonly _tag: 'ObjectId'
      /** The object id. */
      readonly value: string
    }
  | {
      /** A user-assigned identity named by its resource id. */
      readonly _tag: 'ResourceId'
      /** The resource id. */
      readonly value: string
    }

export type UserAssignedKind = Exclude<Identity['_tag'], 'SystemAssigned'>

/** The caller's options, as `@azure/identity` spells them. */
export interface IdentityOptions {
  /** A user-assigned identity's client (application) id. */
  readonly clientId?: string | undefined
  /** A user-assigned identity's object (principal) id. */
  readonly objectId?: string | undefined
  /** A user-assigned identity's Azure resource id. */
  readonly resourceId?: string | undefined
}

/** Query-parameter names a source uses for each kind of user-assigned id. */
export type IdentityParameterNames = { readonly [K in UserAssignedKind]: string }

// -------------------------------------------------------------------------------------
// constructors
// -------------------------------------------------------------------------------------

/** The identity the hosting environment assigned itself. */
export const systemAssigned: Identity = { _tag: 'SystemAssigned' }

/** At most one of the three ids, none of them empty. */
export const identityFromOptions = (options: IdentityOptions): E.Either<InvalidConfiguration, Identity> => {
  const given = (
    [
      ['clientId', 'ClientId', options.clientId],
      ['objectId', 'ObjectId', options.objectId],
      ['resourceId', 'ResourceId', options.resourceId],
    ] as const
  ).filter(([, , value]) => value !== undefined)
  const empty = given.find(([, , value]) => value?.trim() === '')
  if (empty !== undefined) {
    return E.left(
      invalidConfiguration({
        setting: empty[0],
        message: `The ${empty[0]} option is empty. Pass the id of a user-assigned identity, or omit it to use the system-assigned identity.`,
      }),
    )
  }
  const [first, second] = given
  if (second !== undefined) {
    return E.left(
      invalidConfiguration({
        setting: given.map(([option]) => option).join('+'),
        message: `Pass at most one of clientId, objectId and resourceId (got ${given.map(([option]) => option).join(' and ')}).`,
      }),
    )
  }
  return E.right(first === undefined ? systemAssigned : { _tag: first[1], value: first[2] as string })
}

// -------------------------------------------------------------------------------------
// destructors
// -------------------------------------------------------------------------------------

/** The query parameter that names this identity, or none for the system-assigned one. */
export const identityParameter = (
  identity: Identity,
  names: IdentityParameterNames,
): ReadonlyArray<readonly [string, string]> =>
  identity._tag === 'SystemAssigned' ? [] : [[names[identity._tag], identity.value]]

const describeKind: { readonly [K in UserAssignedKind]: string } = {
  ClientId: 'a client id',
  ObjectId: 'an object id',
  ResourceId: 'a resource id',
}

/**
 * Sources whose identity is fixed by the platform refuse a user-assigned one outright:
 * silently using the system-assigned identity instead would hand out the wrong permissions.
 */
export const requireSystemAssigned = (
  source: SourceName,
  identity: Identity,
  configuredBy: string,
): E.Either<UnsupportedIdentity, void> =>
  identity._tag === 'SystemAssigned'
    ? E.right(undefined)
    : E.left(
        unsupportedIdentity({
          source,
          message: `${source} managed identity does not accept a user-assigned identity (${describeKind[identity._tag]} was given): the identity is configured by ${configuredBy}. Remove the clientId/objectId/resourceId option.`,
        }),
      )
