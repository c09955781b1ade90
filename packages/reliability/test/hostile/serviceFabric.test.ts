/**
 * Service Fabric's identity header goes only to the certificate named by
 * `IDENTITY_SERVER_THUMBPRINT`. A wrong thumbprint, a certificate that changes after a first
 * success, and a plain-http endpoint are each refused with nothing sent; fetch-io, which
 * cannot pin, refuses the source outright.
 */
import { randomBytes } from 'node:crypto'
import { describe, expect, test } from 'vitest'
import { emulatorForTest, SCOPE } from '../support/environments.js'
import { wireText } from '../support/marker.js'
import { recorder } from '../support/record.js'
import { configuration, type Expected, failed, type Settled, settle, unavailable } from '../support/settle.js'
import { credentialFor, type Shell, shells } from '../support/shells.js'
import { watchUnhandledRejections } from '../support/unhandled.js'
import { recordAndExpect } from '../support/verdict.js'

watchUnhandledRejections()
const record = recorder('hostile-servicefabric')
const GROUP = 'Hostile input: Service Fabric'
const tuning = { timeoutMs: 2_000, deadlineMs: 5_000 }

const check = (
  context: { readonly task: { readonly fullName: string } },
  name: string,
  shell: Shell,
  settled: Settled,
  expected: Expected,
  requests: number,
) =>
  recordAndExpect(
    record,
    {
      group: GROUP,
      case: name,
      shell,
      source: 'ServiceFabric',
      budgetMs: tuning.deadlineMs,
      requests,
      test: context.task.fullName,
    },
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
    const name = 'the certificate changes after a first success'
    check(
      context,
      `${name}: a new credential`,
      'node-io',
      fresh,
      failed('certificate_mismatch'),
      emulator.requests.length - 1,
    )
    check(
      context,
      `${name}: the same credential, bypassing its cache`,
      'node-io',
      claims,
      failed('certificate_mismatch'),
      emulator.requests.length - 1,
    )
    check(
      context,
      `${name}: the same credential, another scope`,
      'node-io',
      otherScope,
      failed('certificate_mismatch'),
      emulator.requests.length - 1,
    )
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
      check(
        context,
        'plain http IDENTITY_ENDPOINT',
        shell,
        settled,
        configuration('invalid_configuration'),
        emulator.requests.length,
      )
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
    check(
      context,
      'any endpoint, through a transport that cannot pin',
      'fetch-io',
      settled,
      unavailable('unsupported_runtime'),
      emulator.requests.length,
    )
    expect(settled.outcome.kind === 'error' && settled.outcome.details).toMatchObject({
      capability: 'tlsPinning',
    })
    expect(emulator.requests).toEqual([])
    expect(wireText(emulator.requests)).not.toContain(env.IDENTITY_HEADER)
  })
})
