/**
 * Service Fabric revocation and client capabilities over real, pinned TLS, in both shells
 * (docs/protocol.md §2.3): a `getToken` with `claims` for a scope that has a cached token asks
 * the platform to discard it with `token_sha256_to_refresh`, the lowercase hex SHA-256 of the
 * token (computed here with `node:crypto`, independently of the credential), and
 * `clientCapabilities` adds `xms_cc` to every request. No other source's endpoint defines either
 * parameter, so they send nothing extra.
 *
 * fetch cannot pin a certificate, so fetch-io reaches Service Fabric through an injected `send`
 * (node-io's transport, which pins); the digest is still fetch-io's own, over Web Crypto. The
 * other sources go over each shell's own transport, trusting the emulator's test CA for the
 * Entra endpoint.
 */
import { createHash } from 'node:crypto'
import type { EnvironmentName, RecordedRequest } from '@azmi/emulator'
import { decodeJwtPayload } from '@azmi/emulator'
import { emulatorPerFile, formOf, requestsTo, SCOPE } from '@azmi/test-support'
import { describe, expect, test } from 'vitest'
import { type Shell, shells } from '../support/shells.js'
import { harnessesPerTest, nodeTransportPerFile } from './featureSupport.js'

const emulator = emulatorPerFile()
const { open } = harnessesPerTest()
/** A transport that can pin Service Fabric's certificate, which fetch cannot (fetch-io only). */
const pinning = nodeTransportPerFile()

const CLAIMS = '{"access_token":{"nbf":{"essential":true,"value":"1700000000"}}}'
const sha256Hex = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex')

const serviceFabric = (shell: Shell, options: { clientCapabilities?: ReadonlyArray<string> } = {}) =>
  open(shell, {
    env: emulator().env('ServiceFabric'),
    host: { send: pinning.send },
    ...(options.clientCapabilities !== undefined && { clientCapabilities: [...options.clientCapabilities] }),
  }).credential

const queries = () => requestsTo(emulator(), 'ServiceFabric').map((request) => request.query)

/** What `run` resolved with, and the revocations recorded meanwhile (the list outlives a test). */
const revocationsDuring = async <T>(run: () => Promise<T>) => {
  const before = emulator().revocations.length
  const result = await run()
  return { result, revocations: emulator().revocations.slice(before) }
}

describe.each(shells)('%s: Service Fabric revocation (token_sha256_to_refresh)', (shell) => {
  test('claims after a cached token: the SHA-256 of that token, which the platform revokes', async () => {
    const credential = serviceFabric(shell)
    const cached = await credential.getToken(SCOPE)
    const { result: challenged, revocations } = await revocationsDuring(() =>
      credential.getToken(SCOPE, { claims: CLAIMS }),
    )

    const [first, second] = queries()
    expect(first).not.toHaveProperty('token_sha256_to_refresh')
    expect(second?.token_sha256_to_refresh).toBe(sha256Hex(cached.token))
    expect(revocations).toMatchObject([{ sha256: sha256Hex(cached.token), known: true }])
    expect(emulator().isRevoked(cached.token)).toBe(true)
    expect(challenged.token).not.toBe(cached.token)

    // the token the claims call received replaced the revoked one in the cache
    await expect(credential.getToken(SCOPE)).resolves.toMatchObject({ token: challenged.token })
    expect(queries()).toHaveLength(2)
  })

  test('claims with nothing cached: nothing to revoke, no parameter', async () => {
    const { revocations } = await revocationsDuring(() =>
      serviceFabric(shell).getToken(SCOPE, { claims: CLAIMS }),
    )
    expect(queries()).toEqual([expect.not.objectContaining({ token_sha256_to_refresh: expect.anything() })])
    expect(revocations).toEqual([])
  })

  test('a second claims call names the token the first one received', async () => {
    const credential = serviceFabric(shell)
    await credential.getToken(SCOPE)
    const afterFirst = await credential.getToken(SCOPE, { claims: CLAIMS })
    await credential.getToken(SCOPE, { claims: CLAIMS })
    expect(queries()[2]?.token_sha256_to_refresh).toBe(sha256Hex(afterFirst.token))
  })
})

describe.each(shells)('%s: Service Fabric client capabilities (xms_cc)', (shell) => {
  test("clientCapabilities: ['cp1'] adds xms_cc=cp1 to every request, claims call included", async () => {
    const credential = serviceFabric(shell, { clientCapabilities: ['cp1'] })
    const { token } = await credential.getToken(SCOPE)
    await credential.getToken(SCOPE, { claims: CLAIMS })
    expect(queries().map((query) => query.xms_cc)).toEqual(['cp1', 'cp1'])
    expect(decodeJwtPayload(token)).toMatchObject({ xms_cc: ['cp1'] })
  })

  test('several capabilities are joined with commas', async () => {
    await serviceFabric(shell, { clientCapabilities: ['cp1', 'llt'] }).getToken(SCOPE)
    expect(queries().map((query) => query.xms_cc)).toEqual(['cp1,llt'])
  })

  test('without clientCapabilities there is no xms_cc', async () => {
    await serviceFabric(shell).getToken(SCOPE)
    expect(queries()).toEqual([expect.not.objectContaining({ xms_cc: expect.anything() })])
  })
})

/** What each other source sends besides the identity, as query keys or (POST) form fields. */
const SENT_FIELDS: ReadonlyArray<readonly [EnvironmentName, ReadonlyArray<string>]> = [
  ['Imds', ['api-version', 'resource']],
  ['AppService', ['api-version', 'resource']],
  ['AzureML', ['api-version', 'clientid', 'resource']],
  ['CloudShell', ['resource']],
  ['WorkloadIdentity', ['client_assertion', 'client_assertion_type', 'client_id', 'grant_type', 'scope']],
]

const fieldsOf = (request: RecordedRequest) =>
  Object.keys(request.method === 'POST' ? formOf(request) : request.query).sort()

describe.each(shells)('%s: every other source ignores claims revocation and capabilities', (shell) => {
  test.each(SENT_FIELDS)('%s: exactly its usual fields, twice', async (source, fields) => {
    const { credential } = open(shell, {
      env: emulator().env(source),
      ca: emulator().caCertificatePem,
      clientCapabilities: ['cp1'],
    })
    await credential.getToken(SCOPE)
    await credential.getToken(SCOPE, { claims: CLAIMS })
    const sent = requestsTo(emulator(), source)
    expect(sent.map(fieldsOf)).toEqual([fields, fields])
    expect(JSON.stringify(sent)).not.toMatch(/xms_cc|token_sha256_to_refresh/)
  })
})
