/**
 * Misbehaving endpoints over real sockets: transient statuses retried as IMDS asks, replies
 * too large or not a token refused with the right code, and redirects never followed.
 */
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Emulator } from '@azmi/emulator'
import { startEmulator } from '@azmi/emulator'
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest'
import { ManagedIdentityCredential } from '../../src/index.js'
import { requestsTo, SCOPE } from './support/emulatorSession.js'

let emulator: Emulator
/** A server the redirect points at; it must never be asked anything. */
let elsewhere: { server: Server; url: string; received: string[] }
beforeAll(async () => {
  emulator = await startEmulator()
  const received: string[] = []
  const server = createServer((request, response) => {
    received.push(`${request.method} ${request.url}`)
    response.end('{}')
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  elsewhere = { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, received }
})
afterAll(async () => {
  await emulator.close()
  await new Promise((resolve) => elsewhere.server.close(resolve))
})
beforeEach(() => emulator.clearRequests())

const appService = (options: { maxResponseBytes?: number } = {}) =>
  new ManagedIdentityCredential({ env: emulator.env('AppService'), retry: { maxRetries: 0 }, ...options })

describe('retries', () => {
  test('IMDS retries a 503 and a 429 (Retry-After: 0) and then gets the token', async () => {
    emulator.script('Imds', [{ status: 503 }, { status: 429, headers: { 'retry-after': '0' } }])
    const credential = new ManagedIdentityCredential({
      env: emulator.env('Imds'),
      retry: { initialDelayMs: 10 },
    })
    await expect(credential.getToken(SCOPE)).resolves.toMatchObject({ tokenType: 'Bearer' })
    expect(requestsTo(emulator, 'Imds')).toHaveLength(3)
  })

  test('a connection dropped before the headers is retried', async () => {
    emulator.script('AppService', [{ drop: 'before-headers' }])
    const credential = new ManagedIdentityCredential({
      env: emulator.env('AppService'),
      retry: { initialDelayMs: 10 },
    })
    await expect(credential.getToken(SCOPE)).resolves.toMatchObject({ tokenType: 'Bearer' })
    expect(requestsTo(emulator, 'AppService')).toHaveLength(2)
  })

  test('with retries used up, the last status is reported (http_error)', async () => {
    emulator.script('AppService', [{ status: 503 }])
    await expect(appService().getToken(SCOPE)).rejects.toMatchObject({
      name: 'AuthenticationError',
      code: 'http_error',
      statusCode: 503,
      details: { status: 503 },
    })
    expect(requestsTo(emulator, 'AppService')).toHaveLength(1)
  })

  test('a body cut off halfway is a transport failure (reset)', async () => {
    emulator.script('AppService', [{ drop: 'mid-body' }])
    await expect(appService().getToken(SCOPE)).rejects.toMatchObject({
      code: 'transport_error',
      details: { kind: 'reset' },
    })
  })
})

describe('replies that are not a token', () => {
  test('a 2 MiB body is refused (response_too_large)', async () => {
    emulator.script('AppService', [{ oversizedBodyBytes: 2 * 1024 * 1024 }])
    await expect(appService().getToken(SCOPE)).rejects.toMatchObject({
      name: 'AuthenticationError',
      code: 'response_too_large',
      source: 'AppService',
    })
  })

  test('maxResponseBytes lowers the cap', async () => {
    emulator.script('AppService', [{ oversizedBodyBytes: 4096 }])
    await expect(appService({ maxResponseBytes: 1024 }).getToken(SCOPE)).rejects.toMatchObject({
      code: 'response_too_large',
    })
  })

  test('HTML where IMDS should be means IMDS is not there (imds_unavailable)', async () => {
    emulator.script('Imds', [{ malformed: 'not-json' }])
    const credential = new ManagedIdentityCredential({ env: emulator.env('Imds'), retry: { maxRetries: 0 } })
    await expect(credential.getToken(SCOPE)).rejects.toMatchObject({
      name: 'CredentialUnavailableError',
      code: 'imds_unavailable',
    })
  })

  test.each([
    ['HTML', 'not-json'],
    ['no access_token', 'no-access-token'],
    ['an already expired token', 'expired'],
  ] as const)('App Service replying with %s is invalid_response', async (_name, malformed) => {
    emulator.script('AppService', [{ malformed }])
    await expect(appService().getToken(SCOPE)).rejects.toMatchObject({
      name: 'AuthenticationError',
      code: 'invalid_response',
      details: { status: 200 },
    })
  })

  test('a token labelled text/html is still a token', async () => {
    emulator.script('AppService', [{ malformed: 'wrong-content-type' }])
    await expect(appService().getToken(SCOPE)).resolves.toMatchObject({ tokenType: 'Bearer' })
  })
})

describe('redirects', () => {
  test('a 302 is not followed (http_error 302) and its target hears nothing', async () => {
    emulator.script('AppService', [{ redirectTo: `${elsewhere.url}/steal-the-header` }])
    await expect(appService().getToken(SCOPE)).rejects.toMatchObject({
      code: 'http_error',
      details: { status: 302 },
    })
    expect(requestsTo(emulator, 'AppService')).toHaveLength(1)
    expect(elsewhere.received).toEqual([])
  })
})
