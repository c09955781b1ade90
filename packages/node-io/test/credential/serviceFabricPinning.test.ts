/**
 * Service Fabric's certificate pinning over real TLS (docs/protocol.md §2.3): the identity header
 * goes only to a server whose leaf certificate has the SHA-1 thumbprint in
 * `IDENTITY_SERVER_THUMBPRINT`. A mismatch is refused during the handshake, so the emulator
 * never sees a request, let alone the secret.
 */
import { emulatorPerFile, requestsTo, SCOPE } from '@azmi/test-support'
import { describe, expect, test } from 'vitest'
import { ManagedIdentityCredential } from '../../src/index.js'

const emulator = emulatorPerFile()

/** The same 40 hex digits with the last one changed. */
const otherThumbprint = (thumbprint: string): string =>
  `${thumbprint.slice(0, -1)}${thumbprint.endsWith('0') ? '1' : '0'}`

const refusal = {
  name: 'AuthenticationError',
  code: 'certificate_mismatch',
  source: 'ServiceFabric',
} as const

describe('Service Fabric certificate pinning', () => {
  test('a wrong IDENTITY_SERVER_THUMBPRINT is refused and nothing reaches the endpoint', async () => {
    const env = emulator().env('ServiceFabric')
    const thumbprint = env.IDENTITY_SERVER_THUMBPRINT ?? ''
    const credential = new ManagedIdentityCredential({
      env: { ...env, IDENTITY_SERVER_THUMBPRINT: otherThumbprint(thumbprint) },
    })
    const refused = credential.getToken(SCOPE)
    await expect(refused).rejects.toMatchObject(refusal)
    const error: unknown = await refused.catch((thrown: unknown) => thrown)
    expect(JSON.stringify({ message: (error as Error).message, error })).not.toContain(env.IDENTITY_HEADER)
    expect(requestsTo(emulator(), 'ServiceFabric')).toEqual([])
  })

  test('the thumbprint compares without regard to case or separators', async () => {
    const env = emulator().env('ServiceFabric')
    const colonSeparated = (env.IDENTITY_SERVER_THUMBPRINT ?? '').toLowerCase().match(/../g)?.join(':') ?? ''
    const credential = new ManagedIdentityCredential({
      env: { ...env, IDENTITY_SERVER_THUMBPRINT: colonSeparated },
    })
    await expect(credential.getToken(SCOPE)).resolves.toMatchObject({ tokenType: 'Bearer' })
    expect(requestsTo(emulator(), 'ServiceFabric')).toHaveLength(1)
  })

  test('after the cluster certificate changes, a credential pinned to the old one is refused', async () => {
    const pinnedToPrimary = emulator().env('ServiceFabric')
    const before = new ManagedIdentityCredential({ env: pinnedToPrimary })
    await expect(before.getToken(SCOPE)).resolves.toMatchObject({ tokenType: 'Bearer' })
    expect(requestsTo(emulator(), 'ServiceFabric')).toHaveLength(1)

    emulator().useServiceFabricCertificate('alternate')
    const after = new ManagedIdentityCredential({ env: pinnedToPrimary })
    await expect(after.getToken(SCOPE)).rejects.toMatchObject(refusal)
    expect(requestsTo(emulator(), 'ServiceFabric')).toHaveLength(1)

    // pinned to the certificate now served, it works again
    const pinnedToAlternate = emulator().env('ServiceFabric')
    expect(pinnedToAlternate.IDENTITY_SERVER_THUMBPRINT).not.toBe(pinnedToPrimary.IDENTITY_SERVER_THUMBPRINT)
    const renewed = new ManagedIdentityCredential({ env: pinnedToAlternate })
    await expect(renewed.getToken(SCOPE)).resolves.toMatchObject({ tokenType: 'Bearer' })
    expect(requestsTo(emulator(), 'ServiceFabric')).toHaveLength(2)
  })
})
