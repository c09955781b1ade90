/**
 * The contract between the shells, as one table: source × identity kind × fault → the
 * outcome both node-io and fetch-io must produce (a token for the system- or user-assigned
 * identity, or an error class and code with the details that classify it), and how many
 * requests reach the emulator. `contract.test.ts` runs every row through both shells.
 *
 * Where the shells differ on purpose a row says so: `onFetchIo` is fetch-io's outcome where
 * fetch cannot tell what node-io can, and `only` marks what only one shell's host can lack.
 */
import type { SourceName } from '@azmi/core'
import { type IdentityKind, isLinuxRoot, USER_ASSIGNED_KINDS } from '@azmi/test-support'
import type { Shell } from '../support/shells.js'
import type { FaultName } from './faults.js'

/** A token for one of the emulator's identities, or an error a program can switch on. */
export type Expected =
  | { readonly token: 'system' | 'user' }
  | {
      readonly error: 'AuthenticationError' | 'CredentialUnavailableError'
      readonly code: string
      readonly details?: Readonly<Record<string, unknown>>
    }

/** One scenario of the contract. */
export interface ContractRow {
  readonly source: SourceName
  readonly identity: IdentityKind
  /**
   * Whose ids the identity option carries: the user-assigned identity (default), the
   * system-assigned one, or one the resource does not have.
   */
  readonly naming: 'user' | 'system' | 'unassigned'
  readonly fault: FaultName
  readonly expected: Expected
  /** Requests the emulator receives, in each shell alike. */
  readonly requests: number
  /** fetch-io's outcome, where it legitimately differs from node-io's. */
  readonly onFetchIo?: Expected
  /** Only this shell: the other one cannot be without what the fault takes away. */
  readonly only?: Shell
  /** Not runnable on this machine. */
  readonly skip?: boolean
  /** The hostile-input class the row stands for, if any: it is then also listed in that class's report group. */
  readonly hostileClass?: 6
}

const token = (identity: 'system' | 'user'): Expected => ({ token: identity })
const failed = (code: string, details?: Readonly<Record<string, unknown>>): Expected => ({
  error: 'AuthenticationError',
  code,
  ...(details === undefined ? {} : { details }),
})
const unavailable = (code: string, details?: Readonly<Record<string, unknown>>): Expected => ({
  error: 'CredentialUnavailableError',
  code,
  ...(details === undefined ? {} : { details }),
})

type RowOptions = Partial<
  Pick<ContractRow, 'identity' | 'naming' | 'onFetchIo' | 'only' | 'skip' | 'hostileClass'>
>

/** A row of the system-assigned identity unless `options` names another. */
const row = (
  source: SourceName,
  fault: FaultName,
  expected: Expected,
  requests: number,
  options: RowOptions = {},
): ContractRow => ({ source, identity: 'system', naming: 'user', fault, expected, requests, ...options })

/** Healthy endpoints: every identity kind each source accepts (`docs/protocol.md §1.3`). */
const tokens: ReadonlyArray<ContractRow> = [
  ...(['Imds', 'AppService', 'AzureML'] as const).flatMap((source) => [
    row(source, 'none', token('system'), 1),
    ...USER_ASSIGNED_KINDS.map((identity) => row(source, 'none', token('user'), 1, { identity })),
  ]),
  row('ServiceFabric', 'none', token('system'), 1),
  row('AzureArc', 'none', token('system'), 2, { skip: !isLinuxRoot }),
  ...USER_ASSIGNED_KINDS.map((identity) =>
    row('AzureArc', 'none', token('user'), 2, { identity, skip: !isLinuxRoot }),
  ),
  row('CloudShell', 'none', token('system'), 1),
  // AZURE_CLIENT_ID names the user-assigned identity; the client id option replaces it, and an
  // object or resource id does not apply to a federated credential and is ignored
  row('WorkloadIdentity', 'none', token('user'), 1),
  row('WorkloadIdentity', 'none', token('system'), 1, { identity: 'clientId', naming: 'system' }),
  row('WorkloadIdentity', 'none', token('user'), 1, { identity: 'objectId', naming: 'system' }),
  row('WorkloadIdentity', 'none', token('user'), 1, { identity: 'resourceId', naming: 'system' }),
]

/** Identities a source cannot honour, refused before anything is sent (never the system one instead). */
const refusedIdentities: ReadonlyArray<ContractRow> = (['ServiceFabric', 'CloudShell'] as const).flatMap(
  (source) =>
    USER_ASSIGNED_KINDS.map((identity) =>
      row(source, 'none', unavailable('unsupported_identity'), 0, { identity }),
    ),
)

/** An identity the resource does not have: IMDS answers 400, which is an answer, not retried. */
const unassigned: ReadonlyArray<ContractRow> = USER_ASSIGNED_KINDS.map((identity) =>
  row('Imds', 'none', unavailable('identity_not_assigned', { status: 400 }), 1, {
    identity,
    naming: 'unassigned',
  }),
)

const transportError = (kind: string) => failed('transport_error', { tag: 'Transport', kind })

/** What goes wrong on the way, on App Service's retry schedule and on IMDS's own. */
const faults: ReadonlyArray<ContractRow> = [
  row('AppService', '500 twice, then a token', token('system'), 3),
  row(
    'AppService',
    '500 past the last retry',
    failed('http_error', { tag: 'Http', status: 500, statusCode: 500 }),
    3,
  ),
  row('Imds', '500 twice, then a token', token('system'), 3),
  row('Imds', '404 and 429, both retried', token('system'), 3),
  row('Imds', '503, then 429 with Retry-After: 0', token('system'), 3),
  row('AppService', '503, no retries', failed('http_error', { status: 503, statusCode: 503 }), 1),
  row('Imds', '400', unavailable('identity_not_assigned', { tag: 'IdentityNotAssigned', status: 400 }), 1),
  // a 400 elsewhere is a failure, not unavailability
  row('AppService', '400', failed('http_error', { tag: 'Http', status: 400 }), 1),
  row('AppService', 'a 200 that is not JSON', failed('invalid_response', { status: 200 }), 1),
  // something other than IMDS answers at its address
  row('Imds', 'a 200 that is not JSON', unavailable('imds_unavailable', { tag: 'ImdsUnavailable' }), 1),
  row('AppService', 'no access_token', failed('invalid_response', { status: 200 }), 1),
  row('Imds', 'no access_token', failed('invalid_response', { status: 200 }), 1),
  // the body is judged, not its label
  row('AppService', 'a token labelled text/html', token('system'), 1),
  // the core refuses a token that is dead on arrival rather than hand it out
  row('AppService', 'an already expired token', failed('invalid_response', { status: 200 }), 1),
  row('AppService', 'a body over 1 MiB', failed('response_too_large', { tag: 'ResponseTooLarge' }), 1),
  row('Imds', 'a body over 1 MiB', failed('response_too_large'), 1),
  row('AppService', '4 KiB past a 1 KiB maxResponseBytes', failed('response_too_large'), 1),
  row('AppService', 'no answer within the timeout', failed('timeout', { tag: 'Timeout' }), 1),
  row('Imds', 'no answer within the timeout', unavailable('imds_unavailable'), 1),
  // not followed: the emulator would record the redirected request as a second one
  row('AppService', 'a 302 elsewhere', failed('http_error', { status: 302 }), 1),
  row('Imds', 'a 302 elsewhere', failed('http_error', { status: 302 }), 1),
  row('AppService', 'dropped halfway through the body', transportError('reset'), 1),
  row('Imds', 'dropped halfway through the body', transportError('reset'), 1),
  // fetch reports every failure before a response as one TypeError (connect); node-io reports
  // a close before the reply began the same way, keeping reset for a reply that broke
  row('AppService', 'dropped before the headers', transportError('connect'), 1),
  row('Imds', 'dropped before the headers', unavailable('imds_unavailable'), 1),
  row('AppService', 'dropped before the headers, then a token', token('system'), 2),
  row(
    'WorkloadIdentity',
    'Entra ID refuses (401 invalid_client)',
    failed('entra_id_error', { status: 401, error: 'invalid_client' }),
    1,
  ),
  row('AzureArc', 'a realm outside the key directory', failed('arc_key_file', { rule: 'directory' }), 1),
  row('AzureArc', 'a 200 instead of the challenge', failed('arc_challenge', { status: 200 }), 1),
]

/** A reply must confirm the user-assigned identity it names (§1.3); Azure Arc's must name it. */
const confirmation: ReadonlyArray<ContractRow> = [
  ...(['Imds', 'AppService', 'AzureML'] as const).map((source) =>
    row(source, 'a reply for another identity', failed('identity_not_confirmed'), 1, {
      identity: 'clientId',
    }),
  ),
  row('AzureArc', 'a legacy agent, which ignores the selector', failed('identity_not_confirmed'), 2, {
    identity: 'clientId',
    skip: !isLinuxRoot,
  }),
]

/** What the host lacks. */
const hosts: ReadonlyArray<ContractRow> = [
  // an unknown CA is a TLS failure to node-io; fetch cannot tell it from no answer at all
  row('WorkloadIdentity', 'a CA the host does not trust', transportError('tls'), 0, {
    onFetchIo: transportError('connect'),
  }),
  // pinned: refused during the handshake, before the secret is written (fetch-io through node-io's send)
  row('ServiceFabric', 'a certificate other than the pinned one', failed('certificate_mismatch'), 0),
  row(
    'ServiceFabric',
    'no pinning send (plain fetch)',
    unavailable('unsupported_runtime', { tag: 'UnsupportedRuntime', capability: 'tlsPinning' }),
    0,
    { only: 'fetch-io' },
  ),
  // Arc learns it needs the file from the challenge, and never reads nor sends the key it names
  row('AzureArc', 'no readFile', unavailable('unsupported_runtime', { capability: 'readFile' }), 1, {
    only: 'fetch-io',
  }),
  row('WorkloadIdentity', 'no readFile', unavailable('unsupported_runtime', { capability: 'readFile' }), 0, {
    only: 'fetch-io',
  }),
]

/**
 * Class 6: where the shells once disagreed. Something that is not HTTP at IMDS's address was
 * `AuthenticationError` in node-io and `imds_unavailable` in fetch-io; an Arc key ending in a
 * newline was refused by one shell and trimmed and sent by the other (docs/protocol.md §2.4).
 */
const classifiedAlike: ReadonlyArray<ContractRow> = [
  // nothing reaches the emulator: the garbage server answered instead
  row(
    'Imds',
    'something that is not HTTP answering',
    unavailable('imds_unavailable', { tag: 'ImdsUnavailable' }),
    0,
    {
      hostileClass: 6,
    },
  ),
  row('AppService', 'something that is not HTTP answering', transportError('connect'), 0, {
    hostileClass: 6,
  }),
  // refused under `content`, never trimmed: only the challenge was sent
  row('AzureArc', 'a key file ending in a newline', failed('arc_key_file', { rule: 'content' }), 1, {
    hostileClass: 6,
    skip: !isLinuxRoot,
  }),
]

/** Every row of the contract. */
export const CONTRACT_TABLE: ReadonlyArray<ContractRow> = [
  ...tokens,
  ...refusedIdentities,
  ...unassigned,
  ...faults,
  ...confirmation,
  ...hosts,
  ...classifiedAlike,
]
