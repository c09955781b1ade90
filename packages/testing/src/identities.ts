/**
 * fast-check arbitraries for the caller's identity options (docs/protocol.md §1.3): the
 * system-assigned identity or one user-assigned id, and the mistakes the core refuses before
 * any request (two ids at once, an empty or blank id).
 *
 * @since 0.1.0
 */
import type { IdentityOptions } from '@azmi/core'
import * as fc from 'fast-check'
import { identityId, userAssignedResourceId } from './values.js'

/** Options naming the system-assigned identity: nothing, or ids explicitly `undefined`. */
export const systemAssignedOptions: fc.Arbitrary<IdentityOptions> = fc.constantFrom(
  {},
  { clientId: undefined },
  { clientId: undefined, objectId: undefined, resourceId: undefined },
)

/** Options naming exactly one user-assigned identity, by client id, object id or resource id. */
export const userAssignedOptions: fc.Arbitrary<IdentityOptions> = fc.oneof(
  identityId.map((clientId) => ({ clientId })),
  identityId.map((objectId) => ({ objectId })),
  userAssignedResourceId.map((resourceId) => ({ resourceId })),
)

/**
 * Valid identity options: the system-assigned identity or one user-assigned id.
 * `identityFromOptions` accepts every value (a source may still refuse a user-assigned id).
 */
export const identityOptions: fc.Arbitrary<IdentityOptions> = fc.oneof(
  systemAssignedOptions,
  userAssignedOptions,
)

const blank = fc.constantFrom('', ' ', '\t', '  \n ')

/**
 * Identity options the core refuses with `invalid_configuration` before any request: two or
 * three ids at once, or an id that is empty or only whitespace.
 */
export const invalidIdentityOptions: fc.Arbitrary<IdentityOptions> = fc.oneof(
  fc
    .record(
      { clientId: identityId, objectId: identityId, resourceId: userAssignedResourceId },
      { requiredKeys: [] },
    )
    .filter((options) => Object.keys(options).length >= 2),
  fc
    .constantFrom('clientId', 'objectId', 'resourceId')
    .chain((name) => blank.map((value) => ({ [name]: value }))),
)
