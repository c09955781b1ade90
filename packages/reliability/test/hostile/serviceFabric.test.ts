/**
 * Service Fabric's identity header goes only to the certificate named by
 * `IDENTITY_SERVER_THUMBPRINT`. A wrong thumbprint, a certificate that changes after a first
 * success, and a plain-http endpoint are each refused with nothing sent; fetch-io, which
 * cannot pin, refuses the source outright.
 */
import { randomBytes } from 'node:crypto'
import { emulatorForTest, watchUnhandledRejections } from '@azmi/test-support'
import { describe, expect, test } from 'vitest'
import { SCOPE } from '../support/environments.js'
import { wireText } from '../support/marker.js'
import { configuration, type Expected, failed, type Settled, settle, unavailable } from '../support/settle.js'
import { credentialFor, type Shell, shells } from '../support/shells.js'
import { type NamedTest, reportGroup } from '../support/verdict.js'

watchUnhandledRejections()
const report = reportGroup('hostile-servicefabric', 'Hostile input: Service Fabric')
const tuning = { timeoutMs: 2_000, deadlineMs: 5_000 }

/** Record and check one Service Fabric case that sent `requests` requests. */
const check = (
  test: NamedTest,
  name: string,
  shell: Shell,
  settled: Settled,
  expected: Expected,
  requests: number,
) =>
  report.check(
    test,
    { case: name, shell, source: 'ServiceFabric', budgetMs: tuning.deadlineMs, requests },
    settled,
    expected,
  )

describe('Service Fabric', () => {
  test.concurrent('a wrong thumbprint: refused before the request is written (node-io)', async (context) => {
    const emulator = await emulatorForTest(context)
    const env = {
      ...emulator.env('ServiceFabric'),
      IDENTITY_SERVER_THUMBPRINT: randomBytes(20).toString('hex'),
    }
    const { credential } = credentialFor('node-io', { env, ...tuning })
    const settled = await settle(() => credential.getToken(SCOPE))
    check(
      context,
      'a wrong thumbprint',
      'node-io',
      settled,
      failed('certificate_mismatch'),
      emulator.requests.length,
    )
    expect(emulator.requests).toEqual([])
  })

  test.concurrent('a certificate that changes after a first success (node-io)', async (context) => {
    const emulator = await emulatorForTest(context)
    const env = emulator.env('ServiceFabric')
    const first = credentialFor('node-io', { env, ...tuning })
    const before = await settle(() => first.credential.getToken(SCOPE))
    expect(before.outcome.kind).toBe('token')
    expect(emulator.requests).toHaveLength(1)

    emulator.useServiceFabricCertificate('alternate')
    // a new credential, the same credential past its cache (claims), and a scope not cached yet
    const fresh = await settle(() => credentialFor('node-io', { env, ...tuning }).credential.getToken(SCOPE))
    const claims = await settle(() => first.credential.getToken(SCOPE, { claims: '{"access_token":{}}' }))
    const otherScope = await settle(() => first.credential.getToken('https://storage.azure.com/.default'))
    const after = [
      ['a new credential', fresh],
      ['the same credential, bypassing its cache', claims],
      ['the same credential, another scope', otherScope],
    ] as const
    for (const [which, settled] of after) {
      const name = `the certificate changes after a first success: ${which}`
      check(context, name, 'node-io', settled, failed('certificate_mismatch'), emulator.requests.length - 1)
    }
    // nothing after the switch reached the server
    expect(emulator.requests).toHaveLength(1)
  })

  test.concurrent.for(shells)(
    'plain http: a configuration error, nothing sent (%s)',
    async (shell, context) => {
      const emulator = await emulatorForTest(context)
      const env = emulator.env('ServiceFabric')
      const httpEndpoint = new URL(env.IDENTITY_ENDPOINT ?? '')
      httpEndpoint.protocol = 'http:'
      // the emulator's plain-http server, so anything sent would be recorded
      httpEndpoint.port = new URL(emulator.url).port
      const { credential } = credentialFor(shell, {
        env: { ...env, IDENTITY_ENDPOINT: httpEndpoint.toString() },
        ...tuning,
      })
      const settled = await settle(() => credential.getToken(SCOPE))
      const expected = configuration('invalid_configuration')
      check(context, 'plain http IDENTITY_ENDPOINT', shell, settled, expected, emulator.requests.length)
      expect(settled.outcome.kind === 'error' && settled.outcome.details).toMatchObject({
        setting: 'IDENTITY_ENDPOINT',
      })
      expect(emulator.requests).toEqual([])
    },
  )

  test.concurrent('fetch-io cannot pin: the source is refused, nothing sent', async (context) => {
    const emulator = await emulatorForTest(context)
    const env = emulator.env('ServiceFabric')
    const { credential } = credentialFor('fetch-io', { env, ...tuning })
    const settled = await settle(() => credential.getToken(SCOPE))
    const name = 'any endpoint, through a transport that cannot pin'
    check(context, name, 'fetch-io', settled, unavailable('unsupported_runtime'), emulator.requests.length)
    expect(settled.outcome.kind === 'error' && settled.outcome.details).toMatchObject({
      capability: 'tlsPinning',
    })
    expect(emulator.requests).toEqual([])
    expect(wireText(emulator.requests)).not.toContain(env.IDENTITY_HEADER)
  })
})
