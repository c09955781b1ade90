/**
 * Ending a request the endpoint never finishes: at the configured timeout, at the caller's
 * deadline, or at once when the caller aborts. Timeouts here are small configured values and
 * the assertions are on error codes, never on how long anything took.
 */
import { emulatorPerFile, requestsTo, SCOPE, waitUntil } from '@azmi/test-support'
import { describe, expect, test } from 'vitest'
import { ManagedIdentityCredential } from '../../src/index.js'

const emulator = emulatorPerFile()

describe('timeouts', () => {
  // an endpoint that never answers (timeout; imds_unavailable for IMDS): the contract table,
  // packages/reliability/test/contract
  test('a reply trickling in slower than the timeout still ends at the timeout', async () => {
    // headers at once, then the body over at least 4 × 500 ms: far past a 200 ms timeout
    emulator().script('AppService', [{ trickle: { chunks: 5, intervalMs: 500 } }])
    const credential = new ManagedIdentityCredential({
      env: emulator().env('AppService'),
      timeoutMs: 200,
      retry: { maxRetries: 0 },
    })
    await expect(credential.getToken(SCOPE)).rejects.toMatchObject({ code: 'timeout', source: 'AppService' })
  })

  test("the caller's requestOptions.timeout bounds the call although the attempt timeout is long", async () => {
    emulator().script('AppService', [{ hang: true }])
    const credential = new ManagedIdentityCredential({ env: emulator().env('AppService') })
    await expect(credential.getToken(SCOPE, { requestOptions: { timeout: 300 } })).rejects.toMatchObject({
      code: 'timeout',
      source: 'AppService',
    })
  })

  test('a timed-out attempt is retried when retries are allowed', async () => {
    emulator().script('AppService', [{ hang: true }])
    const credential = new ManagedIdentityCredential({
      env: emulator().env('AppService'),
      timeoutMs: 300,
      retry: { maxRetries: 1, initialDelayMs: 10 },
    })
    await expect(credential.getToken(SCOPE)).resolves.toMatchObject({ tokenType: 'Bearer' })
    expect(requestsTo(emulator(), 'AppService')).toHaveLength(2)
  })
})

describe('abort', () => {
  test('aborting while the request hangs rejects with AbortError (aborted)', async () => {
    emulator().script('AppService', [{ hang: true }])
    // the default 10 s attempt timeout: only the abort can end this in time for the test
    const credential = new ManagedIdentityCredential({ env: emulator().env('AppService') })
    const controller = new AbortController()
    const pending = credential.getToken(SCOPE, { abortSignal: controller.signal })
    await waitUntil(() => requestsTo(emulator(), 'AppService').length === 1)
    controller.abort()
    await expect(pending).rejects.toMatchObject({ name: 'AbortError', code: 'aborted', source: 'AppService' })
    // not retried after the abort
    expect(requestsTo(emulator(), 'AppService')).toHaveLength(1)
  })

  test('an already-aborted signal rejects and sends nothing', async () => {
    const credential = new ManagedIdentityCredential({ env: emulator().env('AppService') })
    await expect(credential.getToken(SCOPE, { abortSignal: AbortSignal.abort() })).rejects.toMatchObject({
      name: 'AbortError',
      code: 'aborted',
    })
    expect(emulator().requests).toEqual([])
  })

  test('one caller aborting leaves the request it shares with another running', async () => {
    const credential = new ManagedIdentityCredential({ env: emulator().env('AppService') })
    const controller = new AbortController()
    const leaving = credential.getToken(SCOPE, { abortSignal: controller.signal })
    const staying = credential.getToken(SCOPE)
    controller.abort()
    await expect(leaving).rejects.toMatchObject({ name: 'AbortError', code: 'aborted' })
    await expect(staying).resolves.toMatchObject({ tokenType: 'Bearer' })
    expect(requestsTo(emulator(), 'AppService')).toHaveLength(1)
  })
})
