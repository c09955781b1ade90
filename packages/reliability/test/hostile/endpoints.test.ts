/**
 * Endpoint values a credential must refuse, or must handle, before anything is sent:
 * URLs carrying user information, schemes other than http(s), and IPv6 literals.
 *
 * User information and foreign schemes are configuration errors raised before any request
 * (the emulator stays silent) whose message never repeats the password. An IPv6 literal is a
 * valid endpoint: with a relay on `[::1]` in front of the emulator the credential gets its
 * token through it, and where nothing listens on `[::1]` it fails to connect like any
 * unreachable endpoint.
 */
import type { EnvironmentName } from '@azmi/emulator'
import { closedPort, emulatorForTest, watchUnhandledRejections } from '@azmi/test-support'
import { describe, expect, test } from 'vitest'
import {
  credentialTarget,
  ENDPOINT_VARIABLES,
  endpointVariableCases,
  SCOPE,
  shellSourcePairs,
} from '../support/environments.js'
import { ipv6LoopbackAvailable, ipv6Relay, onIpv6 } from '../support/ipv6Proxy.js'
import {
  configuration,
  type Expected,
  failed,
  type Settled,
  settle,
  token,
  unavailable,
} from '../support/settle.js'
import { credentialFor, type Shell, shells } from '../support/shells.js'
import { type NamedTest, reportGroup } from '../support/verdict.js'

watchUnhandledRejections()
const report = reportGroup('hostile-endpoints', 'Hostile input: endpoints')
const tuning = {
  timeoutMs: 2_000,
  deadlineMs: 5_000,
  retry: { maxRetries: 1, initialDelayMs: 5, maxDelayMs: 20 },
}

/** Every source's endpoint variables, on both shells (Service Fabric's check precedes pinning). */
const variableCases = endpointVariableCases(shells)
const endpointVariables = ENDPOINT_VARIABLES

const PASSWORD = 'hunter2-reliability-password'

/** Record and check one case of `source` through `shell` that sent `requests` requests. */
const check = (
  test: NamedTest,
  name: string,
  { shell, source }: { readonly shell: Shell; readonly source: EnvironmentName },
  settled: Settled,
  expected: Expected,
  requests: number,
) =>
  report.check(test, { case: name, shell, source, budgetMs: tuning.deadlineMs, requests }, settled, expected)

describe('user information in an endpoint', () => {
  for (const { shell, source, variable } of variableCases) {
    test.concurrent(`${shell}, ${source}: ${variable}`, async (context) => {
      const emulator = await emulatorForTest(context)
      const target = credentialTarget(emulator, source)
      const url = new URL(target.env[variable] ?? '')
      url.username = 'azmi-user'
      url.password = PASSWORD
      const env = { ...target.env, [variable]: url.toString() }
      const { credential, events } = credentialFor(shell, { ...target, env, ...tuning })
      const settled = await settle(() => credential.getToken(SCOPE))
      const expected = configuration('invalid_configuration')
      check(
        context,
        `user:password@ in ${variable}`,
        { shell, source },
        settled,
        expected,
        emulator.requests.length,
      )
      expect(settled.outcome.kind === 'error' && settled.outcome.details).toMatchObject({ setting: variable })
      expect(emulator.requests).toEqual([])
      const error = settled.outcome.kind === 'error' ? settled.outcome.error : undefined
      const visible = `${error?.stack} ${JSON.stringify(error)} ${JSON.stringify(events)}`
      expect(visible).not.toContain(PASSWORD)
    })
  }
})

/** Schemes that are not http(s). */
const schemes = [
  (port: string) => `ftp://127.0.0.1:${port}/token`,
  () => 'file:///etc/passwd',
  (port: string) => `ws://127.0.0.1:${port}/token`,
  () => 'javascript:alert(1)',
  () => 'data:text/plain,token',
]

describe('schemes other than http(s)', () => {
  const mainVariables = variableCases.filter(
    ({ source, variable }) => endpointVariables[source]?.[0] === variable,
  )
  for (const { shell, source, variable } of mainVariables) {
    test.concurrent(`${shell}, ${source}: ${variable}`, async (context) => {
      const emulator = await emulatorForTest(context)
      const target = credentialTarget(emulator, source)
      const port = new URL(emulator.url).port
      const values = schemes.map((scheme) => scheme(port))
      // workload identity sends the federated token: its authority must be https, not http
      if (source === 'WorkloadIdentity') values.push(emulator.tlsUrl.replace('https:', 'http:'))
      for (const value of values) {
        const env = { ...target.env, [variable]: value }
        const { credential } = credentialFor(shell, { ...target, env, ...tuning })
        const settled = await settle(() => credential.getToken(SCOPE))
        const name = `${variable}=${value.replace(/:\d+/, ':PORT')}`
        const expected = configuration('invalid_configuration')
        check(context, name, { shell, source }, settled, expected, emulator.requests.length)
        expect(settled.outcome.kind === 'error' && settled.outcome.details).toMatchObject({
          setting: variable,
        })
      }
      expect(emulator.requests).toEqual([])
    })
  }
})

describe.skipIf(!(await ipv6LoopbackAvailable()))('IPv6 literal endpoints', () => {
  for (const { shell, source } of shellSourcePairs(shells)) {
    test.concurrent(`${shell}, ${source}: through a relay on [::1]`, async (context) => {
      const emulator = await emulatorForTest(context)
      const target = credentialTarget(emulator, source)
      const relays = new Map<number, Promise<number>>()
      const relayFor = (port: number) => {
        const relay = relays.get(port) ?? ipv6Relay(context, port)
        relays.set(port, relay)
        return relay
      }
      const env = await onIpv6(target.env, relayFor)
      const { credential } = credentialFor(shell, { ...target, env, ...tuning })
      const settled = await settle(() => credential.getToken(SCOPE))
      const name = 'http(s)://[::1]:port/... with a server on ::1'
      check(context, name, { shell, source }, settled, token, emulator.requests.length)
      // it came through the relay: the Host header names the IPv6 literal
      expect(emulator.requests.length).toBeGreaterThan(0)
      for (const request of emulator.requests) expect(request.headers.host).toMatch(/^\[::1\]:\d+$/)
    })

    test.concurrent(`${shell}, ${source}: nothing listening on [::1]`, async (context) => {
      const emulator = await emulatorForTest(context)
      const target = credentialTarget(emulator, source)
      const port = await closedPort('::1')
      const env = await onIpv6(target.env, async () => port)
      const { credential } = credentialFor(shell, { ...target, env, ...tuning })
      const settled = await settle(() => credential.getToken(SCOPE))
      const expected = source === 'Imds' ? unavailable('imds_unavailable') : failed('transport_error')
      const name = 'http(s)://[::1]:port/... with nothing listening on ::1'
      check(context, name, { shell, source }, settled, expected, emulator.requests.length)
      if (settled.outcome.kind === 'error' && settled.outcome.details._tag === 'Transport')
        expect(settled.outcome.details.kind).toBe('connect')
      expect(emulator.requests).toEqual([])
    })
  }
})
