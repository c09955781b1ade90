/**
 * Request ids over real sockets, in both shells (docs/protocol.md §1.5): every request carries a
 * fresh UUID in `x-ms-client-request-id`, retries and Arc's two legs included; the log events of
 * a request name the id it was sent with; and an error about a request quotes that request's id
 * as `details.requestId`, so that it can be handed to Azure support.
 *
 * Retries wait at least 0.5 s each, so the cases that retry run the core's credential over the
 * shell's real capabilities with a virtual clock: the transport, the UUIDs and the sockets are
 * the shell's, and only the waits take no time. fetch-io reads Arc's key with node-io's file
 * reader, as fetch-io on Node is given it.
 */
import type { LogEvent } from '@azmi/core'
import { emulatorPerFile, isLinuxRoot, requestsTo, SCOPE, virtualClock } from '@azmi/test-support'
import { describe, expect, test } from 'vitest'
import { type HarnessOptions, type Shell, shells } from '../support/shells.js'
import { harnessesPerTest } from './featureSupport.js'

const emulator = emulatorPerFile()
const { open, openOnClock } = harnessesPerTest()

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/

/** The ids on the wire, in the order the emulator received the requests. */
const wireIds = (source: 'AppService' | 'AzureArc' | 'Imds') =>
  requestsTo(emulator(), source).map((request) => request.headers['x-ms-client-request-id'])

/** The ids of the events named `name`, in order. */
const idsLogged = (events: ReadonlyArray<LogEvent>, name: LogEvent['event']) =>
  events.filter((event) => event.event === name).map((event) => event.requestId)

/** The core's credential over `shell`'s capabilities with a virtual clock, keeping its log events. */
const onVirtualTime = (shell: Shell, options: HarnessOptions) => {
  const clock = virtualClock()
  return { ...openOnClock(shell, options, clock.capabilities), clock }
}

describe.each(shells)('%s: x-ms-client-request-id', (shell) => {
  test('one request: a UUID on the wire, and the same id in its request and reply events', async () => {
    const { credential, events } = open(shell, { env: emulator().env('AppService') })
    await credential.getToken(SCOPE)
    const [id] = wireIds('AppService')
    expect(id).toMatch(UUID)
    expect(idsLogged(events, 'request-sent')).toEqual([id])
    expect(idsLogged(events, 'reply-received')).toEqual([id])
  })

  test('two 503s and a token: three requests, three distinct ids, each logged with its request', async () => {
    emulator().script('AppService', [{ status: 503 }, { status: 503 }])
    const { credential, events, clock } = onVirtualTime(shell, { env: emulator().env('AppService') })
    await credential.getToken(SCOPE)
    const ids = wireIds('AppService')
    expect(ids).toHaveLength(3)
    for (const id of ids) expect(id).toMatch(UUID)
    expect(new Set(ids).size).toBe(3)
    expect(idsLogged(events, 'request-sent')).toEqual(ids)
    expect(idsLogged(events, 'reply-received')).toEqual(ids)
    expect(clock.sleeps).toHaveLength(2)
  })

  test('calls for two scopes: a fresh id for each', async () => {
    const { credential } = open(shell, { env: emulator().env('AppService') })
    await credential.getToken(SCOPE)
    await credential.getToken('https://vault.azure.net/.default')
    const ids = wireIds('AppService')
    expect(ids).toHaveLength(2)
    expect(new Set(ids).size).toBe(2)
  })

  test.skipIf(!isLinuxRoot)(
    'Azure Arc: each leg of the challenge has its own id (root on Linux)',
    async () => {
      const { credential, events } = open(shell, { env: emulator().env('AzureArc') })
      await credential.getToken(SCOPE)
      const ids = wireIds('AzureArc')
      expect(ids).toHaveLength(2)
      expect(new Set(ids).size).toBe(2)
      expect(idsLogged(events, 'request-sent')).toEqual(ids)
    },
  )
})

describe.each(shells)('%s: details.requestId names the failing request', (shell) => {
  test('a refusal that is not retried (401): the id of that request', async () => {
    emulator().script('AppService', [{ status: 401 }])
    const { credential } = open(shell, { env: emulator().env('AppService') })
    const failing = credential.getToken(SCOPE)
    await expect(failing).rejects.toMatchObject({ code: 'http_error', statusCode: 401 })
    const [id] = wireIds('AppService')
    await expect(failing).rejects.toMatchObject({ details: { requestId: id } })
  })

  test('503 after every retry: the id of the last request, not of the first', async () => {
    emulator().script('AppService', [{ status: 503 }, { status: 503 }])
    const { credential } = onVirtualTime(shell, {
      env: emulator().env('AppService'),
      retry: { maxRetries: 1 },
    })
    const failing = credential.getToken(SCOPE)
    await expect(failing).rejects.toMatchObject({ code: 'http_error', details: { status: 503 } })
    const ids = wireIds('AppService')
    expect(ids).toHaveLength(2)
    await expect(failing).rejects.toMatchObject({ details: { requestId: ids[1] } })
  })

  test('the throttle window that follows quotes the same id, and sends nothing', async () => {
    emulator().script('AppService', [{ status: 429, headers: { 'retry-after': '30' } }])
    const { credential } = onVirtualTime(shell, {
      env: emulator().env('AppService'),
      retry: { maxRetries: 0 },
    })
    await expect(credential.getToken(SCOPE)).rejects.toMatchObject({ code: 'http_error' })
    const [id] = wireIds('AppService')
    await expect(credential.getToken('https://vault.azure.net/.default')).rejects.toMatchObject({
      code: 'throttled',
      details: { requestId: id },
    })
    expect(wireIds('AppService')).toEqual([id])
  })

  test('IMDS 400 (identity_not_assigned): the id of that request', async () => {
    emulator().script('Imds', [{ status: 400 }])
    const { credential } = open(shell, { env: emulator().env('Imds') })
    const failing = credential.getToken(SCOPE)
    await expect(failing).rejects.toMatchObject({ code: 'identity_not_assigned' })
    const [id] = wireIds('Imds')
    expect(id).toMatch(UUID)
    await expect(failing).rejects.toMatchObject({ details: { requestId: id } })
  })
})
