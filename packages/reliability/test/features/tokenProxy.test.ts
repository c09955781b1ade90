/**
 * Workload identity through the AKS token proxy of an identity binding, over real TLS
 * (docs/protocol.md §2.7): with `AZURE_KUBERNETES_TOKEN_PROXY` set, the token request goes to the
 * proxy instead of Entra ID, its certificate verified against `AZURE_KUBERNETES_CA_FILE` or
 * `AZURE_KUBERNETES_CA_DATA` under the name `AZURE_KUBERNETES_SNI_NAME`. The emulated proxy's
 * certificate names only `token-proxy.aks.test` and is signed by a CA of its own, so a request
 * that skipped the SNI name or the CA could not succeed. The CA file is read again before each
 * request: a rotation written to it takes effect for the next call, and an empty file (caught
 * mid-rotation) keeps the CA already in use.
 *
 * node-io verifies the proxy itself. The fetch API can set neither a CA nor a server name, so
 * fetch-io refuses before sending, with `unsupported_runtime` (capability `customTls`), unless
 * the caller injects a `send` that can: with node-io's transport injected, fetch-io must pass
 * every case node-io passes, since it still reads the CA file and builds the request itself.
 */
import { randomUUID } from 'node:crypto'
import type { Emulator } from '@azmi/emulator'
import { emulatorPerFile, formOf, requestsTo, SCOPE } from '@azmi/test-support'
import { beforeEach, describe, expect, test } from 'vitest'
import { type HarnessOptions, type Shell, shells } from '../support/shells.js'
import { harnessesPerTest, nodeTransportPerFile } from './featureSupport.js'

const emulator = emulatorPerFile()
// The proxy's certificate and CA file outlive a test: every test starts from the first CA.
beforeEach(() => emulator().rotateTokenProxyCa({ serve: 'first', caFile: 'first' }))
const { open } = harnessesPerTest()
/** A transport that applies a request's own CA and server name, which fetch cannot. */
const customTls = nodeTransportPerFile()

/** A scope nobody asked for yet, so the call cannot be answered from the cache. */
const freshScope = () => `api://${randomUUID()}/.default`

const proxyEnv = (ca: 'file' | 'data' = 'file') =>
  emulator().env('WorkloadIdentity', { tokenProxy: true, tokenProxyCa: ca })

/** `shell`'s credential for `env`; fetch-io is given node-io's transport, which can verify the proxy. */
const proxyCredential = (shell: Shell, env: HarnessOptions['env']) =>
  open(shell, { env, host: { send: customTls.send } }).credential

/** The requests the token proxy received: where they went, under which server name. */
const proxyRequests = (emu: Emulator) =>
  requestsTo(emu, 'WorkloadIdentity').map(({ via, path, servername }) => ({ via, path, servername }))

const tlsFailure = { name: 'AuthenticationError', code: 'transport_error', details: { kind: 'tls' } }

describe('fetch-io: the AKS token proxy over plain fetch', () => {
  test.each(['file', 'data'] as const)('CA %s: unsupported_runtime (customTls), nothing sent', async (ca) => {
    const { credential } = open('fetch-io', { env: proxyEnv(ca) })
    await expect(credential.getToken(SCOPE)).rejects.toMatchObject({
      name: 'CredentialUnavailableError',
      code: 'unsupported_runtime',
      source: 'WorkloadIdentity',
      details: { capability: 'customTls' },
    })
    expect(requestsTo(emulator(), 'WorkloadIdentity')).toEqual([])
  })
})

describe.each(shells)('%s: the AKS token proxy', (shell) => {
  test.each(['file', 'data'] as const)(
    'CA %s + SNI name: the token request goes to the proxy, over TLS checked against both',
    async (ca) => {
      const emu = emulator()
      const env = proxyEnv(ca)
      const token = await proxyCredential(shell, env).getToken(SCOPE)
      expect(token).toMatchObject({ tokenType: 'Bearer', token: expect.stringMatching(/^eyJ/) })
      expect(proxyRequests(emu)).toEqual([
        {
          via: 'tokenProxy',
          path: `/token-proxy/${emu.tenantId}/oauth2/v2.0/token`,
          servername: emu.tokenProxy.sniName,
        },
      ])
      // the body is the federated exchange Entra ID would have received
      const [request] = requestsTo(emu, 'WorkloadIdentity')
      expect(request && formOf(request)).toMatchObject({
        client_id: env.AZURE_CLIENT_ID,
        grant_type: 'client_credentials',
        scope: SCOPE,
      })
    },
  )

  test('a wrong SNI name fails the handshake: transport_error (tls), nothing sent', async () => {
    const env = { ...proxyEnv(), AZURE_KUBERNETES_SNI_NAME: 'other-proxy.aks.test' }
    await expect(proxyCredential(shell, env).getToken(SCOPE)).rejects.toMatchObject(tlsFailure)
    expect(requestsTo(emulator(), 'WorkloadIdentity')).toEqual([])
  })

  test('without the SNI name the certificate does not name 127.0.0.1: transport_error (tls)', async () => {
    const { AZURE_KUBERNETES_SNI_NAME: _sni, ...env } = proxyEnv()
    await expect(proxyCredential(shell, env).getToken(SCOPE)).rejects.toMatchObject(tlsFailure)
    expect(requestsTo(emulator(), 'WorkloadIdentity')).toEqual([])
  })

  test('a CA that did not sign the proxy certificate: transport_error (tls), nothing sent', async () => {
    const env = { ...proxyEnv('data'), AZURE_KUBERNETES_CA_DATA: emulator().tokenProxy.caPems.second }
    await expect(proxyCredential(shell, env).getToken(SCOPE)).rejects.toMatchObject(tlsFailure)
    expect(requestsTo(emulator(), 'WorkloadIdentity')).toEqual([])
  })
})

describe.each(shells)('%s: the token proxy CA file, read before each request', (shell) => {
  test('a new CA written to the file is in force for the next call', async () => {
    const emu = emulator()
    const credential = proxyCredential(shell, proxyEnv())
    await credential.getToken(freshScope())
    // the file now names the second CA while the proxy still serves the first certificate:
    // only a client that re-read the file refuses it
    emu.rotateTokenProxyCa({ serve: 'first', caFile: 'second' })
    await expect(credential.getToken(freshScope())).rejects.toMatchObject(tlsFailure)
    expect(requestsTo(emu, 'WorkloadIdentity')).toHaveLength(1)
    // the proxy moves to the second certificate: the same credential follows
    emu.rotateTokenProxyCa({ serve: 'second', caFile: 'second' })
    await expect(credential.getToken(freshScope())).resolves.toMatchObject({ tokenType: 'Bearer' })
    expect(requestsTo(emu, 'WorkloadIdentity')).toHaveLength(2)
  })

  test('an empty file mid-rotation keeps the CA already in use', async () => {
    const emu = emulator()
    const credential = proxyCredential(shell, proxyEnv())
    await credential.getToken(freshScope())
    emu.rotateTokenProxyCa({ serve: 'first', caFile: 'empty' })
    await expect(credential.getToken(freshScope())).resolves.toMatchObject({ tokenType: 'Bearer' })
    expect(requestsTo(emu, 'WorkloadIdentity')).toHaveLength(2)
  })

  test('an empty file with no CA read yet: invalid_configuration, nothing sent', async () => {
    emulator().rotateTokenProxyCa({ serve: 'first', caFile: 'empty' })
    await expect(proxyCredential(shell, proxyEnv()).getToken(SCOPE)).rejects.toMatchObject({
      name: 'CredentialUnavailableError',
      code: 'invalid_configuration',
      details: { setting: 'AZURE_KUBERNETES_CA_FILE' },
    })
    expect(requestsTo(emulator(), 'WorkloadIdentity')).toEqual([])
  })
})
