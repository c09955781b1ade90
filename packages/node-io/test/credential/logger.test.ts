/**
 * The logger sees what happened, never a secret (docs/protocol.md §1.5): no identity header, MSI
 * secret, federated token, Arc key or access token in any event, nor in a thrown error when
 * the endpoint echoes the secret back.
 */
import { readFileSync } from 'node:fs'
import { SOURCE_NAMES } from '@azmi/core'
import type { EnvironmentName } from '@azmi/emulator'
import { emulatorPerFile, isLinuxRoot, requestsTo, SCOPE } from '@azmi/test-support'
import { describe, expect, test } from 'vitest'
import type { LogEvent } from '../../src/index.js'
import { ManagedIdentityCredential } from '../../src/index.js'

const emulator = emulatorPerFile()

const logged = (environment: EnvironmentName) => {
  const events: LogEvent[] = []
  const credential = new ManagedIdentityCredential({
    env: emulator().env(environment),
    ca: emulator().caCertificatePem,
    logger: (event) => events.push(event),
  })
  return { events, credential }
}

/** The secrets a client in `environment` holds, read from its variables and files (Arc's: below). */
const secretsOf = (environment: EnvironmentName): ReadonlyArray<string> => {
  const env = emulator().env(environment)
  switch (environment) {
    case 'AppService':
    case 'ServiceFabric':
      return [env.IDENTITY_HEADER ?? '']
    case 'AzureML':
      return [env.MSI_SECRET ?? '']
    case 'WorkloadIdentity':
      return [readFileSync(env.AZURE_FEDERATED_TOKEN_FILE ?? '', 'utf8')]
    case 'AzureArc':
    case 'CloudShell':
    case 'Imds':
      return []
  }
}

/** Every environment; Arc only where its key directory is the real one (root on Linux). */
const environments = SOURCE_NAMES.filter((environment) => isLinuxRoot || environment !== 'AzureArc')

describe('log events', () => {
  test.each(environments)('%s: what happened, without a secret or the token', async (environment) => {
    const { events, credential } = logged(environment)
    const { token } = await credential.getToken(SCOPE)
    expect(events.map((event) => event.event)).toEqual(
      expect.arrayContaining(['source-selected', 'request-sent', 'reply-received', 'token-cached']),
    )
    expect(events.find((event) => event.event === 'source-selected')).toMatchObject({ source: environment })
    // Arc's key is whatever the client sent back in Authorization
    const sentKeys = requestsTo(emulator(), environment).flatMap((request) =>
      request.headers.authorization === undefined
        ? []
        : [request.headers.authorization.replace(/^Basic /, '')],
    )
    expect(sentKeys).toHaveLength(environment === 'AzureArc' ? 1 : 0)
    const secrets = [...secretsOf(environment), ...sentKeys, token]
    for (const secret of secrets) expect(secret.length).toBeGreaterThan(8)
    const text = JSON.stringify(events)
    for (const secret of secrets) expect(text).not.toContain(secret)
  })

  test('an endpoint that echoes the identity header back: neither the log nor the error repeats it', async () => {
    const secret = emulator().env('AppService').IDENTITY_HEADER ?? ''
    emulator().script('AppService', [
      { status: 401, body: JSON.stringify({ statusCode: 401, message: `bad X-IDENTITY-HEADER ${secret}` }) },
    ])
    const { events, credential } = logged('AppService')
    const failing = credential.getToken(SCOPE)
    await expect(failing).rejects.toMatchObject({ code: 'http_error', details: { status: 401 } })
    const error: unknown = await failing.catch((thrown: unknown) => thrown)
    expect(events.map((event) => event.event)).toContain('failed')
    expect(JSON.stringify(events)).not.toContain(secret)
    expect(JSON.stringify({ message: (error as Error).message, error })).not.toContain(secret)
  })
})
