/**
 * The fixture scenarios both shells must handle alike: a token from each source they both
 * support (system- and user-assigned), and the emulator's faults on the way there.
 *
 * `expected` is what both must produce (checked on node-io's outcome, then fetch-io's must
 * equal node-io's), so a scenario fails when the two agree on the wrong answer too.
 */

import type { RetryOptions } from '@azmi/core'
import type { Emulator, EnvironmentName, Fault } from '@azmi/emulator'
import { canServeArcKeys, RESOURCE } from '../support/emulator.js'

type IdentityChoice =
  | { readonly clientId: string }
  | { readonly objectId: string }
  | { readonly resourceId: string }
  | Record<string, never>

export interface Scenario {
  readonly name: string
  readonly environment: EnvironmentName
  readonly identity?: (emulator: Emulator) => IdentityChoice
  readonly faults?: (emulator: Emulator) => ReadonlyArray<Fault>
  readonly options?: { readonly timeoutMs?: number; readonly retry?: RetryOptions }
  /** A part of the outcome both shells must produce. */
  readonly expected: (emulator: Emulator) => Readonly<Record<string, unknown>>
  /** How many requests reach the emulator, in both runs alike. */
  readonly requests: number
  readonly skip?: boolean
}

/** Retries as the protocol schedules them, but milliseconds apart instead of seconds. */
const quickRetries: RetryOptions = { initialDelayMs: 5, maxDelayMs: 20 }
const noRetries: RetryOptions = { maxRetries: 0 }

const systemToken = (emulator: Emulator) => ({
  token: {
    aud: RESOURCE,
    oid: emulator.identities.system.objectId,
    tokenType: 'Bearer',
    expired: false,
  },
})
const userToken = (emulator: Emulator) => ({
  token: { aud: RESOURCE, oid: emulator.identities.user.objectId, tokenType: 'Bearer', expired: false },
})
const failure =
  (name: string, code: string, tag: string, more: Readonly<Record<string, unknown>> = {}) =>
  () => ({
    error: { name, code, tag, ...more },
  })
const failed = (code: string, tag: string, more: Readonly<Record<string, unknown>> = {}) =>
  failure('AuthenticationError', code, tag, more)
const unavailable = (code: string, tag: string, more: Readonly<Record<string, unknown>> = {}) =>
  failure('CredentialUnavailableError', code, tag, more)

const times = <A>(count: number, value: A): ReadonlyArray<A> => Array.from({ length: count }, () => value)

/** A token from every source both shells support, for each identity that source accepts. */
export const successScenarios: ReadonlyArray<Scenario> = [
  { name: 'App Service, system-assigned', environment: 'AppService', expected: systemToken, requests: 1 },
  {
    name: 'App Service, client id',
    environment: 'AppService',
    identity: (emulator) => ({ clientId: emulator.identities.user.clientId }),
    expected: userToken,
    requests: 1,
  },
  {
    name: 'App Service, resource id',
    environment: 'AppService',
    identity: (emulator) => ({ resourceId: emulator.identities.user.resourceId }),
    expected: userToken,
    requests: 1,
  },
  { name: 'IMDS, system-assigned', environment: 'Imds', expected: systemToken, requests: 1 },
  {
    name: 'IMDS, object id',
    environment: 'Imds',
    identity: (emulator) => ({ objectId: emulator.identities.user.objectId }),
    expected: userToken,
    requests: 1,
  },
  { name: 'Azure ML, system-assigned', environment: 'AzureML', expected: systemToken, requests: 1 },
  {
    name: 'Azure ML, client id',
    environment: 'AzureML',
    identity: (emulator) => ({ clientId: emulator.identities.user.clientId }),
    expected: userToken,
    requests: 1,
  },
  { name: 'Cloud Shell', environment: 'CloudShell', expected: systemToken, requests: 1 },
  {
    name: 'Azure Arc, key-file challenge',
    environment: 'AzureArc',
    expected: systemToken,
    requests: 2,
    skip: !canServeArcKeys,
  },
  {
    name: 'workload identity, AZURE_CLIENT_ID',
    environment: 'WorkloadIdentity',
    expected: userToken,
    requests: 1,
  },
  {
    name: 'workload identity, client id option',
    environment: 'WorkloadIdentity',
    identity: (emulator) => ({ clientId: emulator.identities.system.clientId }),
    expected: systemToken,
    requests: 1,
  },
]

/** The emulator's faults, on the standard retry schedule (App Service) and on IMDS's own. */
export const faultScenarios: ReadonlyArray<Scenario> = [
  {
    name: 'App Service: 500 twice, then a token',
    environment: 'AppService',
    faults: () => times(2, { status: 500 }),
    options: { retry: quickRetries },
    expected: systemToken,
    requests: 3,
  },
  {
    name: 'App Service: 500 past the last retry',
    environment: 'AppService',
    faults: () => times(4, { status: 500 }),
    options: { retry: quickRetries },
    expected: failed('http_error', 'Http', { status: 500 }),
    requests: 4,
  },
  {
    name: 'IMDS: 500 five times, then a token',
    environment: 'Imds',
    faults: () => times(5, { status: 500 }),
    options: { retry: quickRetries },
    expected: systemToken,
    requests: 6,
  },
  {
    name: 'IMDS: 404 and 429 are retried too',
    environment: 'Imds',
    faults: () => [{ status: 404 }, { status: 429 }],
    options: { retry: quickRetries },
    expected: systemToken,
    requests: 3,
  },
  {
    name: 'IMDS: 400, no identity assigned',
    environment: 'Imds',
    faults: () => [{ status: 400 }],
    options: { retry: quickRetries },
    expected: unavailable('identity_not_assigned', 'IdentityNotAssigned', { status: 400 }),
    requests: 1,
  },
  {
    name: 'App Service: 400 is a failure, not unavailability',
    environment: 'AppService',
    faults: () => [{ status: 400 }],
    options: { retry: quickRetries },
    expected: failed('http_error', 'Http', { status: 400 }),
    requests: 1,
  },
  {
    name: 'App Service: a 200 that is not JSON',
    environment: 'AppService',
    faults: () => [{ malformed: 'not-json' }],
    expected: failed('invalid_response', 'InvalidResponse', { status: 200 }),
    requests: 1,
  },
  {
    name: 'IMDS: a 200 that is not JSON means something else answered',
    environment: 'Imds',
    faults: () => [{ malformed: 'not-json' }],
    expected: unavailable('imds_unavailable', 'ImdsUnavailable'),
    requests: 1,
  },
  {
    name: 'App Service: no access_token',
    environment: 'AppService',
    faults: () => [{ malformed: 'no-access-token' }],
    expected: failed('invalid_response', 'InvalidResponse', { status: 200 }),
    requests: 1,
  },
  {
    name: 'IMDS: no access_token',
    environment: 'Imds',
    faults: () => [{ malformed: 'no-access-token' }],
    expected: failed('invalid_response', 'InvalidResponse', { status: 200 }),
    requests: 1,
  },
  {
    name: 'App Service: a token labelled text/html is still a token',
    environment: 'AppService',
    faults: () => [{ malformed: 'wrong-content-type' }],
    expected: systemToken,
    requests: 1,
  },
  {
    name: 'App Service: an already expired token',
    environment: 'AppService',
    faults: () => [{ malformed: 'expired' }],
    // The core refuses a token that is dead on arrival rather than hand it out.
    expected: failed('invalid_response', 'InvalidResponse', { status: 200 }),
    requests: 1,
  },
  {
    name: 'App Service: a body over 1 MiB',
    environment: 'AppService',
    faults: () => [{ oversizedBodyBytes: 1_048_576 + 4096 }],
    options: { retry: noRetries },
    expected: failed('response_too_large', 'ResponseTooLarge'),
    requests: 1,
  },
  {
    name: 'IMDS: a body over 1 MiB',
    environment: 'Imds',
    faults: () => [{ oversizedBodyBytes: 1_048_576 + 4096 }],
    options: { retry: noRetries },
    expected: failed('response_too_large', 'ResponseTooLarge'),
    requests: 1,
  },
  {
    name: 'App Service: no answer within the timeout',
    environment: 'AppService',
    faults: () => [{ hang: true }],
    options: { timeoutMs: 300, retry: noRetries },
    expected: failed('timeout', 'Timeout'),
    requests: 1,
  },
  {
    name: 'IMDS: no answer within the timeout means IMDS is not there',
    environment: 'Imds',
    faults: () => [{ hang: true }],
    options: { timeoutMs: 300, retry: noRetries },
    expected: unavailable('imds_unavailable', 'ImdsUnavailable'),
    requests: 1,
  },
  {
    name: 'App Service: a redirect is not followed',
    environment: 'AppService',
    faults: (emulator) => [{ redirectTo: `${emulator.url}/redirected/token` }],
    options: { retry: noRetries },
    expected: failed('http_error', 'Http', { status: 302 }),
    requests: 1,
  },
  {
    name: 'IMDS: a redirect is not followed',
    environment: 'Imds',
    faults: (emulator) => [{ redirectTo: `${emulator.url}/redirected/token` }],
    options: { retry: noRetries },
    expected: failed('http_error', 'Http', { status: 302 }),
    requests: 1,
  },
  {
    name: 'App Service: connection dropped halfway through the body',
    environment: 'AppService',
    faults: () => [{ drop: 'mid-body' }],
    options: { retry: noRetries },
    expected: failed('transport_error', 'Transport', { kind: 'reset' }),
    requests: 1,
  },
  {
    name: 'IMDS: connection dropped halfway through the body',
    environment: 'Imds',
    faults: () => [{ drop: 'mid-body' }],
    options: { retry: noRetries },
    expected: failed('transport_error', 'Transport', { kind: 'reset' }),
    requests: 1,
  },
  {
    name: 'workload identity: Entra ID refuses',
    environment: 'WorkloadIdentity',
    faults: () => [
      {
        status: 401,
        body: JSON.stringify({ error: 'invalid_client', error_description: 'AADSTS700213: no match' }),
      },
    ],
    expected: failed('entra_id_error', 'EntraId', { status: 401, error: 'invalid_client' }),
    requests: 1,
  },
  {
    name: 'Azure Arc: a challenge naming a file outside the key directory',
    environment: 'AzureArc',
    faults: () => [{ arcRealm: '/etc/passwd.key' }],
    expected: failed('arc_key_file', 'ArcKeyFile', { rule: 'directory' }),
    requests: 1,
  },
  {
    name: 'Azure Arc: a 200 instead of the challenge',
    environment: 'AzureArc',
    faults: () => [{ status: 200, body: '{"access_token":"not-accepted-here"}' }],
    expected: failed('arc_challenge', 'ArcChallenge', { status: 200 }),
    requests: 1,
  },
]
