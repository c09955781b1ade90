/**
 * The requests each source sends for a token, as `docs/protocol.md §1.3` and §2 describe them,
 * in the terms of `observations.ts`: the path, the exact query (api-version, resource, and the
 * parameter that names a user-assigned identity, spelled as that source spells it), the
 * headers that carry the secret, and the form of the sources that POST. The contract checks
 * every successful request of both shells against these.
 */
import { readFileSync } from 'node:fs'
import type { SourceName } from '@azmi/core'
import type { Emulator, UserAssignedIdentity } from '@azmi/emulator'
import { type IdentityKind, RESOURCE, SCOPE, type UserAssignedKind } from '@azmi/test-support'
import { expect } from 'vitest'
import type { DescribedRequest } from './observations.js'

/** What a request must carry, in the fields of `describeRequest`; `query` and `form` exactly. */
export interface WireShape {
  readonly [field: string]: unknown
  readonly query: Readonly<Record<string, string>>
  readonly form?: Readonly<Record<string, string>>
}

type ParameterNames = Readonly<Record<UserAssignedKind, string>>

/** How each source names a user-assigned identity in its query (§1.3's table). */
const IMDS_PARAMETERS: ParameterNames = {
  clientId: 'client_id',
  objectId: 'object_id',
  resourceId: 'msi_res_id',
}
const APP_SERVICE_PARAMETERS: ParameterNames = { ...IMDS_PARAMETERS, resourceId: 'mi_res_id' }
const AZURE_ML_PARAMETERS: ParameterNames = { ...IMDS_PARAMETERS, clientId: 'clientid' }

const FORM = expect.stringMatching(/^application\/x-www-form-urlencoded/)

/** A GET of `path` for the scope's resource, naming `identity` as `names` say (nothing for system). */
const tokenGet = (
  source: SourceName,
  path: string,
  apiVersion: string,
  named: Readonly<Record<string, string>>,
): WireShape => ({
  environment: source,
  method: 'GET',
  path,
  query: { 'api-version': apiVersion, resource: RESOURCE, ...named },
})

const naming = (kind: IdentityKind, identity: UserAssignedIdentity, names: ParameterNames) =>
  kind === 'system' ? {} : { [names[kind]]: identity[kind] }

/** Workload identity's exchange: the federated token file's text, unchanged, and the scope as given. */
const entraExchange = (emulator: Emulator, identity: UserAssignedIdentity): WireShape => {
  const env = emulator.env('WorkloadIdentity')
  return {
    environment: 'WorkloadIdentity',
    method: 'POST',
    path: `/entra/${env.AZURE_TENANT_ID}/oauth2/v2.0/token`,
    query: {},
    contentType: FORM,
    form: {
      client_assertion: readFileSync(env.AZURE_FEDERATED_TOKEN_FILE ?? '', 'utf8'),
      client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
      client_id: identity.clientId,
      grant_type: 'client_credentials',
      scope: SCOPE,
    },
  }
}

/**
 * The requests `source` sends when the caller names the identity as `kind` says and the
 * token is for `identity` (the user-assigned identity, or the system-assigned one).
 */
export const wireShapes = (
  emulator: Emulator,
  source: SourceName,
  kind: IdentityKind,
  identity: UserAssignedIdentity,
): ReadonlyArray<WireShape> => {
  const env = emulator.env(source)
  switch (source) {
    case 'Imds': {
      const request = tokenGet(
        source,
        '/imds/metadata/identity/oauth2/token',
        '2018-02-01',
        naming(kind, identity, IMDS_PARAMETERS),
      )
      return [{ ...request, metadata: 'true' }]
    }
    case 'AppService': {
      const named = naming(kind, identity, APP_SERVICE_PARAMETERS)
      const request = tokenGet(source, '/appservice/msi/token', '2019-08-01', named)
      return [{ ...request, metadata: 'true', identityHeader: env.IDENTITY_HEADER }]
    }
    case 'AzureML': {
      // system-assigned: named by DEFAULT_IDENTITY_CLIENT_ID, which the platform sets
      const system = { clientid: env.DEFAULT_IDENTITY_CLIENT_ID ?? '' }
      const named = kind === 'system' ? system : naming(kind, identity, AZURE_ML_PARAMETERS)
      return [{ ...tokenGet(source, '/azureml/msi/token', '2017-09-01', named), secret: env.MSI_SECRET }]
    }
    case 'ServiceFabric': {
      const path = '/servicefabric/metadata/identity/oauth2/token'
      return [{ ...tokenGet(source, path, '2019-07-01-preview', {}), secret: env.IDENTITY_HEADER }]
    }
    case 'AzureArc': {
      // the challenge goes out bare; the retry carries the key file's contents as Basic; a
      // user-assigned identity is named on both, as IMDS names it (never mi_res_id)
      const named = naming(kind, identity, IMDS_PARAMETERS)
      const request = {
        ...tokenGet(source, '/arc/metadata/identity/oauth2/token', '2020-06-01', named),
        metadata: 'true',
      }
      return [
        { ...request, authorization: undefined },
        { ...request, authorization: 'Basic <key>' },
      ]
    }
    case 'CloudShell': {
      const form = { resource: RESOURCE }
      return [
        {
          environment: source,
          method: 'POST',
          path: '/cloudshell/oauth2/token',
          query: {},
          metadata: 'true',
          contentType: FORM,
          form,
        },
      ]
    }
    case 'WorkloadIdentity':
      return [entraExchange(emulator, identity)]
  }
}

/** `requests` are `shapes`: every field given, and the query and form exactly. */
export const expectWire = (
  requests: ReadonlyArray<DescribedRequest>,
  shapes: ReadonlyArray<WireShape>,
): void => {
  expect(requests).toMatchObject(shapes)
  expect(requests.map((request) => request.query)).toEqual(shapes.map((shape) => shape.query))
  expect(requests.map((request) => request.form)).toEqual(shapes.map((shape) => shape.form))
}

/** A secret travels in its header only: never in a path or a query. */
export const expectNoSecretInUrl = (
  requests: ReadonlyArray<DescribedRequest>,
  emulator: Emulator,
  source: SourceName,
): void => {
  const env = emulator.env(source)
  const urls = requests.map((request) => `${request.path} ${JSON.stringify(request.query)}`).join('\n')
  for (const secret of [env.IDENTITY_HEADER, env.MSI_SECRET])
    if (secret !== undefined) expect(urls).not.toContain(secret)
}
