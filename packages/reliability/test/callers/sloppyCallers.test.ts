/**
 * Class 8: what loosely typed JavaScript passes (docs/protocol.md §1.4, §4 Choices). Scopes
 * that are not strings, `null` options, a numeric or `null` client id, a logger that is not a
 * function, a malformed `abortSignal`, fetch-io without `env`, and an `AZURE_TENANT_ID` of `.`
 * or `..` (which would drop the tenant from Entra ID's path): each must end as a typed
 * configuration error with a stable code, thrown as `CredentialUnavailableError` from the
 * constructor or `getToken`, and nothing sent. Never a `TypeError`, a hang, or
 * `client_id=null` on the wire. Both shells, through their public constructors.
 */
import type { Emulator } from '@azmi/emulator'
import { ManagedIdentityCredential as FetchCredential } from '@azmi/fetch-io'
import { ManagedIdentityCredential as NodeCredential, nodePlatform, readRegularFile } from '@azmi/node-io'
import { emulatorForTest, watchUnhandledRejections } from '@azmi/test-support'
import { describe, expect, test } from 'vitest'
import { SCOPE } from '../support/environments.js'
import { CLASS_GROUPS } from '../support/hostileClasses.js'
import { configuration, type Expected, settle } from '../support/settle.js'
import { type Shell, shells, type Token } from '../support/shells.js'
import { reportGroup } from '../support/verdict.js'

watchUnhandledRejections()
const report = reportGroup('class-08-sloppy-callers', CLASS_GROUPS[8])

/** What a sloppy caller may hand either constructor: anything at all. */
type Loose = (...args: unknown[]) => { getToken(scopes: unknown, options?: unknown): Promise<Token> }

/** The shell's public constructor, taking whatever it is given; fetch-io also gets Node's reader. */
const constructorOf = (shell: Shell): Loose =>
  shell === 'node-io'
    ? (...args) => new (NodeCredential as unknown as new (...a: unknown[]) => ReturnType<Loose>)(...args)
    : (...args) =>
        new (FetchCredential as unknown as new (...a: unknown[]) => ReturnType<Loose>)(
          ...args.map((arg) =>
            typeof arg === 'object' && arg !== null && 'env' in arg
              ? { readFile: readRegularFile, platform: nodePlatform(), ...arg }
              : arg,
          ),
        )

interface SloppyCase {
  readonly name: string
  /** Builds the credential and calls it, as the sloppy caller would. */
  readonly call: (make: Loose, env: Record<string, string>) => Promise<Token>
  readonly expected: Expected
  /** The `setting` the error names, if it names one. */
  readonly setting?: string
  readonly only?: Shell
}

const asked = (scopes: unknown, options?: unknown) => (make: Loose, env: Record<string, string>) =>
  make({ env }).getToken(scopes, options)
const built =
  (...args: ReadonlyArray<(env: Record<string, string>) => unknown>) =>
  async (make: Loose, env: Record<string, string>) =>
    make(...args.map((arg) => arg(env))).getToken(SCOPE)

const scope = configuration('invalid_scope')
const option = configuration('invalid_configuration')

const cases: ReadonlyArray<SloppyCase> = [
  { name: 'getToken(123)', call: asked(123), expected: scope },
  { name: 'getToken([123])', call: asked([123]), expected: scope },
  { name: 'getToken([null])', call: asked([null]), expected: scope },
  { name: 'getToken(null)', call: asked(null), expected: scope },
  { name: 'getToken({})', call: asked({}), expected: scope },
  { name: 'getToken([])', call: asked([]), expected: scope },
  { name: 'getToken(scope, null)', call: asked(SCOPE, null), expected: option, setting: 'getToken options' },
  { name: 'getToken(scope, 5)', call: asked(SCOPE, 5), expected: option, setting: 'getToken options' },
  {
    name: 'abortSignal: {}',
    call: asked(SCOPE, { abortSignal: {} }),
    expected: option,
    setting: 'abortSignal',
  },
  {
    name: 'abortSignal: { aborted: true }',
    call: asked(SCOPE, { abortSignal: { aborted: true } }),
    expected: option,
    setting: 'abortSignal',
  },
  {
    name: "abortSignal: 'soon'",
    call: asked(SCOPE, { abortSignal: 'soon' }),
    expected: option,
    setting: 'abortSignal',
  },
  {
    name: "requestOptions: { timeout: 'soon' }",
    call: asked(SCOPE, { requestOptions: { timeout: 'soon' } }),
    expected: option,
    setting: 'requestOptions',
  },
  {
    name: 'new ManagedIdentityCredential(null)',
    call: built(() => null),
    expected: option,
    setting: 'options',
  },
  {
    name: 'new ManagedIdentityCredential(123, { env })',
    call: built(
      () => 123,
      (env) => ({ env }),
    ),
    expected: option,
    setting: 'options',
  },
  {
    name: 'clientId: 123',
    call: built((env) => ({ env, clientId: 123 })),
    expected: option,
    setting: 'clientId',
  },
  {
    name: 'clientId: null',
    call: built((env) => ({ env, clientId: null })),
    expected: option,
    setting: 'clientId',
  },
  {
    name: "logger: 'console'",
    call: built((env) => ({ env, logger: 'console' })),
    expected: option,
    setting: 'logger',
  },
  { name: 'logger: {}', call: built((env) => ({ env, logger: {} })), expected: option, setting: 'logger' },
  {
    name: "timeoutMs: '5000'",
    call: built((env) => ({ env, timeoutMs: '5000' })),
    expected: option,
    setting: 'timeoutMs',
  },
  {
    name: 'env holding a number',
    call: built((env) => ({ env: { ...env, X: 1 } })),
    expected: option,
    setting: 'env',
  },
  {
    name: 'fetch-io without env',
    call: built(() => ({})),
    expected: option,
    setting: 'env',
    only: 'fetch-io',
  },
  {
    name: 'fetch-io with no options at all',
    call: built(() => undefined),
    expected: option,
    setting: 'env',
    only: 'fetch-io',
  },
  {
    name: 'fetch-io with env: null',
    call: built(() => ({ env: null })),
    expected: option,
    setting: 'env',
    only: 'fetch-io',
  },
]

/** Workload identity with a tenant of `.` or `..`, which would turn `/{tenant}/oauth2` into another path. */
const tenantCases = (emulator: Emulator): ReadonlyArray<SloppyCase> =>
  ['.', '..'].map((tenant) => ({
    name: `AZURE_TENANT_ID=${tenant}`,
    call: (make) =>
      make({ env: { ...emulator.env('WorkloadIdentity'), AZURE_TENANT_ID: tenant } }).getToken(SCOPE),
    expected: option,
    setting: 'AZURE_TENANT_ID',
  }))

const runCase = async (shell: Shell, each: SloppyCase, emulator: Emulator, fullName: string) => {
  const settled = await settle(() => each.call(constructorOf(shell), emulator.env('AppService')))
  const setting = settled.outcome.kind === 'error' ? settled.outcome.details : undefined
  report.record({
    group: report.group,
    case: `class 8: ${each.name}`,
    shell,
    source: each.name.startsWith('AZURE_TENANT_ID') ? 'WorkloadIdentity' : 'AppService',
    expected: `${each.expected.kind === 'error' ? `${each.expected.family}/${each.expected.code}` : 'token'}${each.setting === undefined ? '' : ` (${each.setting})`}`,
    actual: `${settled.outcome.kind === 'error' ? `${settled.outcome.family}/${settled.outcome.code}` : settled.outcome.kind === 'crash' ? `crash: ${String(settled.outcome.error)}` : 'token'}${setting !== undefined && 'setting' in setting ? ` (${String(setting.setting)})` : ''}`,
    requests: emulator.requests.length,
    test: fullName,
  })
  expect(settled.outcome).toMatchObject({
    kind: 'error',
    name: 'CredentialUnavailableError',
    ...(each.expected.kind === 'error' ? { code: each.expected.code, family: each.expected.family } : {}),
    ...(each.setting === undefined ? {} : { details: { setting: each.setting } }),
  })
  // the message says what to pass instead
  expect(settled.outcome.kind === 'error' && settled.outcome.message).toMatch(/pass|must be|Pass/)
  expect(emulator.requests).toEqual([])
}

describe('class 8: sloppy JavaScript callers', () => {
  for (const shell of shells) {
    test.concurrent(`${shell}: every sloppy call is a typed configuration error`, async (context) => {
      const emulator = await emulatorForTest(context)
      for (const each of [...cases, ...tenantCases(emulator)])
        if (each.only === undefined || each.only === shell)
          await runCase(shell, each, emulator, context.task.fullName)
    })
  }
})
