/**
 * A real Azure SDK client against a real service emulator: `@azure/storage-blob`'s
 * `BlobServiceClient`, holding an azmi credential in an App Service environment served by
 * `@azmi/emulator`, works with a real Azurite over HTTPS with `--oauth basic`.
 *
 * Azurite checks each bearer token's lifetime (`iat`, `nbf`, `exp`), issuer (an Entra ID
 * `sts` prefix) and audience (a storage audience) and answers 403 otherwise, so a passing
 * run shows that the emulator mints what the service accepts and that azmi hands the token
 * to the SDK unchanged. The wrong-audience case shows that Azurite really does check.
 *
 * TLS trust: Azurite's certificate is signed by the emulator's test CA, which this project's
 * workers trust through NODE_EXTRA_CA_CERTS (see vitest.config.ts); the storage client is
 * built exactly as in production, with no TLS option.
 */
import { randomUUID } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { rootCertificates } from 'node:tls'
import { decodeJwtPayload } from '@azmi/emulator'
import { ManagedIdentityCredential as FetchManagedIdentityCredential } from '@azmi/fetch-io'
import { ManagedIdentityCredential } from '@azmi/node-io'
import { emulatorPerFile, requestsTo } from '@azmi/test-support'
import type { TokenCredential } from '@azure/core-auth'
import { BlobServiceClient } from '@azure/storage-blob'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { type Azurite, certificatePath, isProcessAlive, startAzurite } from './support/azurite.js'

/** The resource for the storage client's scope, `https://storage.azure.com/.default` (docs/protocol.md §1.4). */
const STORAGE_RESOURCE = 'https://storage.azure.com'

const emulator = emulatorPerFile()
let azurite: Azurite
beforeAll(async () => {
  azurite = await startAzurite()
})
afterAll(async () => {
  await azurite?.stop()
  // Nothing is left behind: the Azurite process has exited, not merely been signalled.
  if (azurite !== undefined) expect(isProcessAlive(azurite.pid)).toBe(false)
})

const appServiceRequests = () => requestsTo(emulator(), 'AppService')

/** Create a container, upload a blob, download it: three authenticated requests. */
const roundTrip = async (credential: TokenCredential) => {
  const service = new BlobServiceClient(azurite.accountUrl, credential)
  const container = service.getContainerClient(`interop-${randomUUID()}`)
  await container.create()
  const text = `hello from azmi ${randomUUID()}`
  const blob = container.getBlockBlobClient('greeting.txt')
  await blob.upload(text, Buffer.byteLength(text))
  const downloaded = await blob.downloadToBuffer()
  return { text, downloaded: downloaded.toString('utf8') }
}

describe('the test setup', () => {
  test('this worker trusts the test CA through NODE_EXTRA_CA_CERTS, set before it started', async () => {
    expect(process.env.NODE_EXTRA_CA_CERTS).toBe(certificatePath('ca.pem'))
    // The CA is not one of Node's bundled roots: without the variable, TLS to Azurite would fail.
    const ca = (await readFile(certificatePath('ca.pem'), 'utf8')).trim()
    expect(rootCertificates.map((pem) => pem.trim())).not.toContain(ca)
  })
})

describe('BlobServiceClient with an azmi credential, on Azurite with --oauth basic', () => {
  test("@azmi/node-io's credential: create a container, upload and download a blob", async () => {
    const credential = new ManagedIdentityCredential({ env: emulator().env('AppService') })

    const { text, downloaded } = await roundTrip(credential)

    expect(downloaded).toBe(text)
    // One token request for the storage audience; the SDK reused it for all three operations.
    const requests = appServiceRequests()
    expect(requests).toHaveLength(1)
    expect(requests[0]?.query.resource).toBe(STORAGE_RESOURCE)
  })

  test("@azmi/fetch-io's credential over Node's fetch does the same", async () => {
    const credential = new FetchManagedIdentityCredential({ env: emulator().env('AppService') })

    const { text, downloaded } = await roundTrip(credential)

    expect(downloaded).toBe(text)
    expect(appServiceRequests()).toHaveLength(1)
  })

  test('the token Azurite accepted names the storage audience and an Entra ID issuer', async () => {
    const credential = new ManagedIdentityCredential({ env: emulator().env('AppService') })
    const { token } = await credential.getToken('https://storage.azure.com/.default')
    expect(decodeJwtPayload(token)).toMatchObject({
      aud: STORAGE_RESOURCE,
      iss: `https://sts.windows.net/${emulator().tenantId}/`,
    })
  })

  test('a token for another audience is refused by Azurite with 403 AuthenticationFailed', async () => {
    const azmi = new ManagedIdentityCredential({ env: emulator().env('AppService') })
    // Whatever scope the storage client asks for, get a token for Azure Resource Manager.
    const managementTokens: TokenCredential = {
      getToken: (_scopes, options) => azmi.getToken('https://management.azure.com/.default', options),
    }
    const service = new BlobServiceClient(azurite.accountUrl, managementTokens)

    await expect(service.getContainerClient(`interop-${randomUUID()}`).create()).rejects.toMatchObject({
      name: 'RestError',
      statusCode: 403,
      code: 'AuthenticationFailed',
      details: { authenticationErrorDetail: 'Invalid token audience.' },
    })
    // The refused token really was a management token from the emulator, not a missing one.
    expect(appServiceRequests().map((request) => request.query.resource)).toEqual([
      'https://management.azure.com',
    ])
  })
})
