/**
 * `pipelineSend` over the real `createDefaultHttpClient()` of `@azure/core-rest-pipeline`
 * 1.24.0, against the emulator on 127.0.0.1: tokens from each plain-HTTP source and, over real
 * TLS, from Entra ID; the redirect that is not followed; the timeout that covers the body; the
 * abort; the 1 MiB cap; the failure kinds; and the refusals.
 */
import { createManagedIdentityClient, MAX_RESPONSE_BYTES } from '@azmi/core'
import { createDefaultHttpClient, type HttpClient } from '@azure/core-rest-pipeline'
import * as E from 'fp-ts/lib/Either.js'
import { describe, expect, test } from 'vitest'
import { pipelineCapabilities, pipelineSend } from '../src/index.js'
import { appServiceRequest, emulatorPerFile, SCOPE, testReadFile } from './support.js'

const emulator = emulatorPerFile()
const send = pipelineSend(createDefaultHttpClient())
const tokenRequests = () => emulator().requests.filter((request) => request.environment !== 'unknown')

describe('tokens through the Azure pipeline client', () => {
  test.each(['Imds', 'AppService', 'AzureML', 'CloudShell'] as const)('%s', async (source) => {
    const client = createManagedIdentityClient(
      { env: emulator().env(source) },
      pipelineCapabilities(createDefaultHttpClient()),
    )
    const result = await client.getToken(SCOPE)
    expect(result).toMatchObject({ right: { tokenType: 'Bearer' } })
    expect(tokenRequests().map((request) => request.environment)).toEqual([source])
    expect(tokenRequests()[0]?.headers['x-ms-client-request-id']).toMatch(/^[0-9a-f-]{36}$/)
  })

  test('WorkloadIdentity, over real TLS verified against the trust store', async () => {
    const client = createManagedIdentityClient(
      { env: emulator().env('WorkloadIdentity') },
      pipelineCapabilities(createDefaultHttpClient(), { readFile: testReadFile }),
    )
    expect(await client.getToken(SCOPE)).toMatchObject({ right: { tokenType: 'Bearer' } })
    expect(tokenRequests().map((request) => [request.environment, request.method])).toEqual([
      ['WorkloadIdentity', 'POST'],
    ])
  })
})

describe('the rules every transport follows', () => {
  test('a 302 comes back as it is, its Location not followed: one request reaches the server', async () => {
    emulator().script('AppService', [{ redirectTo: `${emulator().url}/appservice/msi/token` }])
    const reply = await send(appServiceRequest(emulator()), undefined)
    expect(reply).toMatchObject({
      right: { status: 302, headers: { location: expect.stringContaining('/appservice') } },
    })
    expect(emulator().requests).toHaveLength(1)
  })

  test('through the credential, a redirect is an http_error with status 302', async () => {
    emulator().script('AppService', [{ redirectTo: 'http://127.0.0.1:1/elsewhere' }])
    const client = createManagedIdentityClient(
      { env: emulator().env('AppService') },
      pipelineCapabilities(createDefaultHttpClient()),
    )
    expect(await client.getToken(SCOPE)).toMatchObject({ left: { code: 'http_error', status: 302 } })
    expect(emulator().requests).toHaveLength(1)
  })

  test('timeoutMs covers the body: a reply trickled past it is a timeout (the pipeline’s own timer stops at the headers)', async () => {
    emulator().script('AppService', [{ trickle: { chunks: 6, intervalMs: 150 } }])
    expect(await send(appServiceRequest(emulator(), 300), undefined)).toMatchObject({
      left: { kind: 'timeout' },
    })
  })

  test('an endpoint that never answers is a timeout', async () => {
    emulator().script('AppService', [{ hang: true }])
    expect(await send(appServiceRequest(emulator(), 200), undefined)).toMatchObject({
      left: { kind: 'timeout' },
    })
  })

  test("the caller's abort ends the attempt; an aborted signal sends nothing", async () => {
    emulator().script('AppService', [{ hang: true }])
    const controller = new AbortController()
    const pending = send(appServiceRequest(emulator()), controller.signal)
    setTimeout(() => controller.abort(), 50)
    expect(await pending).toMatchObject({ left: { kind: 'aborted' } })
    emulator().clearRequests()
    expect(await send(appServiceRequest(emulator()), AbortSignal.abort())).toMatchObject({
      left: { kind: 'aborted' },
    })
    expect(emulator().requests).toHaveLength(0)
  })

  test('a body of exactly 1 MiB is read; one byte more is response-too-large, chunked or announced', async () => {
    emulator().script('AppService', [
      { oversizedBodyBytes: MAX_RESPONSE_BYTES },
      { oversizedBodyBytes: MAX_RESPONSE_BYTES + 1 },
    ])
    const atCap = await send(appServiceRequest(emulator()), undefined)
    expect(E.isRight(atCap) && atCap.right.body.length).toBe(MAX_RESPONSE_BYTES)
    expect(await send(appServiceRequest(emulator()), undefined)).toMatchObject({
      left: { kind: 'response-too-large' },
    })
    const small = pipelineSend(createDefaultHttpClient(), { maxResponseBytes: 100 })
    expect(await small(appServiceRequest(emulator()), undefined)).toMatchObject({
      left: { kind: 'response-too-large' },
    })
  })
})

describe('failure kinds, by error code', () => {
  const at = (url: string) => ({ method: 'GET' as const, url, headers: {}, timeoutMs: 5_000 })

  test('refused: connect; closed before any byte: connect; broken mid-body: reset', async () => {
    expect(await send(at('http://127.0.0.1:1/'), undefined)).toMatchObject({ left: { kind: 'connect' } })
    emulator().script('AppService', [{ drop: 'before-headers' }, { drop: 'mid-body' }])
    expect(await send(appServiceRequest(emulator()), undefined)).toMatchObject({ left: { kind: 'connect' } })
    expect(await send(appServiceRequest(emulator()), undefined)).toMatchObject({ left: { kind: 'reset' } })
  })

  test('an untrusted certificate and TLS to a plain-HTTP port: tls', async () => {
    const fabric = emulator().env('ServiceFabric').IDENTITY_ENDPOINT ?? ''
    expect(await send(at(fabric), undefined)).toMatchObject({ left: { kind: 'tls' } })
    expect(await send(at(emulator().url.replace('http:', 'https:')), undefined)).toMatchObject({
      left: { kind: 'tls' },
    })
  })

  test('a client that throws, rejects with junk or never settles: other, other, timeout — never a rejection', async () => {
    const clients: HttpClient[] = [
      {
        sendRequest: () => {
          throw new Error('bug')
        },
      },
      { sendRequest: () => Promise.reject('junk') },
      { sendRequest: () => new Promise(() => undefined) },
    ]
    const kinds = await Promise.all(
      clients.map(async (client) => {
        const result = await pipelineSend(client)({ ...at('http://127.0.0.1:1/'), timeoutMs: 100 }, undefined)
        return E.isLeft(result) ? result.left.kind : 'reply'
      }),
    )
    expect(kinds).toEqual(['other', 'other', 'timeout'])
  })

  test('a client that buffers the body itself is still held to the cap', async () => {
    const buffering: HttpClient = {
      sendRequest: async (request) => ({
        request,
        status: 200,
        headers: request.headers,
        bodyAsText: 'é'.repeat(60),
      }),
    }
    const result = await pipelineSend(buffering, { maxResponseBytes: 100 })(
      at('http://127.0.0.1:1/'),
      undefined,
    )
    expect(result).toMatchObject({ left: { kind: 'response-too-large' } })
  })
})

describe('refused before sending', () => {
  test('Service Fabric pinning: unsupported_runtime (tlsPinning), and nothing reaches the endpoint', async () => {
    const client = createManagedIdentityClient(
      { env: emulator().env('ServiceFabric') },
      pipelineCapabilities(createDefaultHttpClient()),
    )
    expect(await client.getToken(SCOPE)).toMatchObject({
      left: { code: 'unsupported_runtime', capability: 'tlsPinning' },
    })
    expect(emulator().requests).toHaveLength(0)
  })

  test('a request’s own CA or server name: custom-tls-unsupported', async () => {
    const request = {
      ...appServiceRequest(emulator()),
      url: `${emulator().tlsUrl}/entra/t/oauth2/v2.0/token`,
    }
    for (const tls of [{ ca: emulator().caCertificatePem }, { servername: 'token-proxy.aks.test' }]) {
      expect(await send({ ...request, tls }, undefined)).toMatchObject({
        left: { kind: 'custom-tls-unsupported' },
      })
    }
    expect(emulator().requests).toHaveLength(0)
  })
})
