/**
 * How each source that takes a user-assigned identity names it (docs/protocol.md §1.3): the
 * query parameter for each kind of id on the request, and the reply fields that confirm it.
 * One table, so the sources' spellings can be compared at a glance: they differ in small ways
 * (App Service's `mi_res_id`, Azure ML's `clientid`) that are easy to get wrong one by one.
 *
 * @since 0.2.0
 */
import type { Confirmation } from '../confirmation.js'
import type { IdentityParameterNames } from '../identity.js'

/** A source's names for a user-assigned identity. */
export interface IdentityNames {
  /** The query parameter for a client id, an object id, a resource id. */
  readonly parameters: IdentityParameterNames
  /** Where the reply names the identity, and whether it must. */
  readonly confirmation: Confirmation
}

type ResourceIdName = 'mi_res_id' | 'msi_res_id'

/**
 * A source's names from the two ways sources differ: the client-id parameter (`client_id`, or
 * Azure ML's `clientid`) and the resource-id one. Replies are read more loosely than requests
 * are written: `client_id` and both resource-id spellings are always accepted as the echo.
 */
const names = (clientId: string, resourceId: ResourceIdName, required: boolean): IdentityNames => ({
  parameters: { ClientId: clientId, ObjectId: 'object_id', ResourceId: resourceId },
  confirmation: {
    fields: {
      ClientId: clientId === 'client_id' ? ['client_id'] : [clientId, 'client_id'],
      ObjectId: ['object_id'],
      ResourceId: [resourceId, resourceId === 'mi_res_id' ? 'msi_res_id' : 'mi_res_id'],
    },
    required,
  },
})

/** The names of each source that sends a user-assigned identity in its query. */
export const IDENTITY_NAMES: {
  readonly [S in 'Imds' | 'AppService' | 'AzureML' | 'AzureArc']: IdentityNames
} = {
  Imds: names('client_id', 'msi_res_id', false),
  AppService: names('client_id', 'mi_res_id', false),
  AzureML: names('clientid', 'msi_res_id', false),
  // The agent takes `msi_res_id` (it ignores `mi_res_id`), and must name the identity in its
  // reply: a legacy agent ignores the selector and answers for the machine's own identity.
  AzureArc: names('client_id', 'msi_res_id', true),
}
