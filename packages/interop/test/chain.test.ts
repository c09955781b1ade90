/**
 * azmi inside `@azure/identity`'s `ChainedTokenCredential`: a credential that cannot work
 * here (`CredentialUnavailableError`) lets the chain move on to the next credential; one that
 * should have worked and did not (`AuthenticationError`) stops it (docs/protocol.md §4).
 *
 * Each situation is also given to `@azure/identity`'s own ManagedIdentityCredential, in a
 * process of its own with the same environment, and what it does is asserted too: where the
 * two disagree, the test says so and why.
 */
import { randomUUID } from 'node:crypto'
import { decodeJwtPayload } from '@azmi/emulator'
import { ManagedIdentityCredential } from '@azmi/node-io'
import { emulatorPerFile } from '@azmi/test-support'
import type { AccessToken, TokenCredential } from '@azure/core-auth'
import { ChainedTokenCredential } from '@azure/identity'
import { describe, expect, test } from 'vitest'
import { runIncumbent } from './support/incumbent.js'

const SCOPE = 'https://vault.azure.net/.default'
const RESOURCE = 'https://vault.azure.net'

const emulator = emulatorPerFile()

/** Where each request went, and for which identity, in order. */
const requestLog = () =>
  emulator().requests.map(({ environment, query }) => ({
    environment,
    clientId: query.client_id,
    resource: query.resource,
  }))

/** A second azmi credential that works: App Service, system-assigned. */
const appService = () => new ManagedIdentityCredential({ env: emulator().env('AppService') })

/** A credential that only counts how often a chain asked it. */
const countingCredential = () => {
  const counter = {
    calls: 0,
    credential: {
      getToken: async (): Promise<AccessToken> => {
        counter.calls += 1
        return { token: 'counted', expiresOnTimestamp: Number.MAX_SAFE_INTEGER }
      },
    } satisfies TokenCredential,
  }
  return counter
}

describe('an unavailable azmi credential lets the chain move on', () => {
  test('IMDS through a pod-identity host answers 400 for a client id it does not know', async () => {
    const unknownClientId = randomUUID()
    const env = emulator().env('Imds')
    const imds = new ManagedIdentityCredential({ env, clientId: unknownClientId })

    await expect(imds.getToken(SCOPE)).rejects.toMatchObject({
      name: 'CredentialUnavailableError',
      code: 'identity_not_assigned',
    })
    emulator().clearRequests()

    const token = await new ChainedTokenCredential(imds, appService()).getToken(SCOPE)

    expect(decodeJwtPayload(token.token)).toMatchObject({ appid: emulator().identities.system.clientId })
    expect(requestLog()).toEqual([
      { environment: 'Imds', clientId: unknownClientId, resource: RESOURCE },
      { environment: 'AppService', clientId: undefined, resource: RESOURCE },
    ])

    // @azure/identity agrees: its chain moves on to the next credential too.
    emulator().clearRequests()
    const incumbent = await runIncumbent({
      env,
      scope: SCOPE,
      options: { clientId: unknownClientId },
      chain: true,
    })
    expect(incumbent).toMatchObject({ outcome: 'token', from: 'fallback' })
    expect(requestLog()).toEqual([{ environment: 'Imds', clientId: unknownClientId, resource: RESOURCE }])
  })

  test('IDENTITY_ENDPOINT without IDENTITY_HEADER or IMDS_ENDPOINT is no source at all: nothing is sent', async () => {
    // The pod-identity host is set as well, so that a client that goes on to IMDS (the
    // incumbent, below) reaches the emulator rather than 169.254.169.254.
    const env = {
      IDENTITY_ENDPOINT: emulator().env('AppService').IDENTITY_ENDPOINT ?? '',
      ...emulator().env('Imds'),
    }
    const lonelyEndpoint = new ManagedIdentityCredential({ env })

    await expect(lonelyEndpoint.getToken(SCOPE)).rejects.toMatchObject({
      name: 'CredentialUnavailableError',
      code: 'no_source',
    })
    const token = await new ChainedTokenCredential(lonelyEndpoint, appService()).getToken(SCOPE)

    expect(decodeJwtPayload(token.token)).toMatchObject({ aud: RESOURCE })
    expect(requestLog()).toEqual([{ environment: 'AppService', clientId: undefined, resource: RESOURCE }])

    // They differ here, on purpose. azmi follows the reference (Python azure-identity,
    // docs/protocol.md §1.2 rule 1.4): a lone IDENTITY_ENDPOINT stops selection. MSAL Node
    // skips App Service, Arc and the rest and falls back to IMDS, so @azure/identity's
    // credential succeeds through IMDS and its chain never reaches the next credential.
    emulator().clearRequests()
    const incumbent = await runIncumbent({ env, scope: SCOPE, chain: true })
    expect(incumbent).toMatchObject({ outcome: 'token', from: 'managedIdentity' })
    expect(requestLog()).toEqual([{ environment: 'Imds', clientId: undefined, resource: RESOURCE }])
  })
})

describe('a failed azmi credential stops the chain', () => {
  test('App Service answers 401 to a wrong identity header', async () => {
    const env = { ...emulator().env('AppService'), IDENTITY_HEADER: 'not-the-secret' }
    const wrongHeader = new ManagedIdentityCredential({ env })
    const next = countingCredential()

    await expect(wrongHeader.getToken(SCOPE)).rejects.toMatchObject({
      name: 'AuthenticationError',
      code: 'http_error',
      statusCode: 401,
    })
    await expect(
      new ChainedTokenCredential(wrongHeader, next.credential).getToken(SCOPE),
    ).rejects.toMatchObject({ name: 'AuthenticationError', code: 'http_error', statusCode: 401 })
    expect(next.calls).toBe(0)

    // They differ here, on purpose. @azure/identity 4.13.1 wraps every failure of its
    // ManagedIdentityCredential (MSAL's errors included) in CredentialUnavailableError, so
    // its chain moves on past an endpoint that answered 401 and hides a misconfiguration
    // behind whatever credential comes next. azmi reports it (docs/protocol.md §4: failed).
    emulator().clearRequests()
    const alone = await runIncumbent({ env, scope: SCOPE })
    expect(alone).toMatchObject({ outcome: 'error', name: 'CredentialUnavailableError' })
    const chained = await runIncumbent({ env, scope: SCOPE, chain: true })
    expect(chained).toMatchObject({ outcome: 'token', from: 'fallback' })
    // Both of the incumbent's runs did reach the endpoint and were refused there.
    expect(requestLog()).toEqual([
      { environment: 'AppService', clientId: undefined, resource: RESOURCE },
      { environment: 'AppService', clientId: undefined, resource: RESOURCE },
    ])
  })
})
