/** The credential convenience: a `TokenCredential` over the pipeline client, throwing azmi's errors. */
import { CredentialUnavailableError } from '@azmi/core'
import { createDefaultHttpClient } from '@azure/core-rest-pipeline'
import { expect, test } from 'vitest'
import { PipelineManagedIdentityCredential } from '../src/index.js'
import { emulatorPerFile, SCOPE } from './support.js'

const emulator = emulatorPerFile()

test('gets a token over the default client, and the same one again from its cache', async () => {
  const credential = new PipelineManagedIdentityCredential({ env: emulator().env('AppService') })
  const first = await credential.getToken(SCOPE)
  expect(await credential.getToken(SCOPE)).toEqual(first)
  expect(credential.sourceName).toBe('AppService')
  expect(emulator().requests).toHaveLength(1)
})

test('Service Fabric throws CredentialUnavailableError unsupported_runtime, sending nothing', async () => {
  const credential = new PipelineManagedIdentityCredential({
    env: emulator().env('ServiceFabric'),
    httpClient: createDefaultHttpClient(),
  })
  await expect(credential.getToken(SCOPE)).rejects.toMatchObject({ code: 'unsupported_runtime' })
  await expect(credential.getToken(SCOPE)).rejects.toBeInstanceOf(CredentialUnavailableError)
  expect(emulator().requests).toHaveLength(0)
})

test('an option mistake throws from the constructor', () => {
  expect(() => new PipelineManagedIdentityCredential({ env: {}, clientId: 'a', objectId: 'b' })).toThrow(
    expect.objectContaining({ code: 'invalid_configuration' }),
  )
})
