import fc from 'fast-check'
import * as E from 'fp-ts/lib/Either.js'
import { describe, expect, test } from 'vitest'
import { type Environment, explainSelection, selectSource } from '../src/index.js'
import { environment, secretValue } from './arbitraries.js'

const tagOf = (env: Environment) => {
  const result = selectSource(env)
  return E.isRight(result) ? result.right._tag : result.left._tag
}

const URL_A = 'http://127.0.0.1:1/endpoint'
const URL_B = 'http://127.0.0.1:2/imds'

/** The variables that make each source match, in precedence order. */
const layers: ReadonlyArray<readonly [string, Environment]> = [
  [
    'ServiceFabric',
    {
      IDENTITY_ENDPOINT: 'https://127.0.0.1:3/sf',
      IDENTITY_HEADER: 'h'.repeat(20),
      IDENTITY_SERVER_THUMBPRINT: 'A'.repeat(40),
    },
  ],
  ['AppService', { IDENTITY_ENDPOINT: URL_A, IDENTITY_HEADER: 'h'.repeat(20) }],
  ['AzureArc', { IDENTITY_ENDPOINT: URL_A, IMDS_ENDPOINT: URL_B }],
  ['AzureML', { MSI_ENDPOINT: URL_A, MSI_SECRET: 's'.repeat(20) }],
  ['CloudShell', { MSI_ENDPOINT: URL_A }],
  [
    'WorkloadIdentity',
    {
      AZURE_AUTHORITY_HOST: 'https://login.microsoftonline.com',
      AZURE_TENANT_ID: 'tenant',
      AZURE_FEDERATED_TOKEN_FILE: '/var/run/token',
      AZURE_CLIENT_ID: 'client',
    },
  ],
  ['Imds', {}],
]

describe('selectSource examples', () => {
  test.each(layers)('%s is selected by its variables alone', (expected, env) => {
    expect(tagOf(env)).toBe(expected)
  })

  test('IDENTITY_ENDPOINT alone stops selection with no source, even when MSI_ENDPOINT is set', () => {
    const result = selectSource({ IDENTITY_ENDPOINT: URL_A, MSI_ENDPOINT: URL_B })
    expect(result).toMatchObject({ left: { _tag: 'NoSource', code: 'no_source', family: 'unavailable' } })
    expect(E.isLeft(result) && result.left.message).toContain('IDENTITY_ENDPOINT')
  })

  test.each([
    ['IDENTITY_HEADER', { IDENTITY_HEADER: 'x'.repeat(20) }],
    ['MSI_SECRET', { MSI_SECRET: 'x'.repeat(20) }],
    ['IMDS_ENDPOINT', { IMDS_ENDPOINT: URL_B }],
  ])('%s alone falls through to Imds', (_name, env) => {
    expect(tagOf(env)).toBe('Imds')
  })

  test('workload identity without any client id is a configuration error naming the fix', () => {
    const result = selectSource({ ...layers[5]?.[1], AZURE_CLIENT_ID: undefined })
    expect(result).toMatchObject({
      left: { _tag: 'InvalidConfiguration', family: 'configuration', setting: 'AZURE_CLIENT_ID' },
    })
    expect(E.isLeft(result) && result.left.message).toContain(
      'Configure the environment with a client ID or pass a value for clientId',
    )
  })

  test.each([
    ['not a url', 'IDENTITY_ENDPOINT'],
    ['ftp://127.0.0.1/x', 'IDENTITY_ENDPOINT'],
    ['http://user:secretpass@127.0.0.1/x', 'IDENTITY_ENDPOINT'],
    ['/relative/path', 'IDENTITY_ENDPOINT'],
  ])('endpoint %j is refused naming the variable and not its value', (value, variable) => {
    const result = selectSource({ IDENTITY_ENDPOINT: value, IDENTITY_HEADER: 'h'.repeat(20) })
    expect(result).toMatchObject({ left: { _tag: 'InvalidConfiguration', setting: variable } })
    expect(E.isLeft(result) && result.left.message).not.toContain(value)
  })

  test('an IPv6 literal endpoint is accepted', () => {
    expect(tagOf({ IDENTITY_ENDPOINT: 'http://[::1]:8081/msi/token', IDENTITY_HEADER: 'h'.repeat(20) })).toBe(
      'AppService',
    )
  })

  test('Service Fabric refuses a plain-http endpoint and a malformed thumbprint', () => {
    const base = layers[0]?.[1] ?? {}
    expect(selectSource({ ...base, IDENTITY_ENDPOINT: 'http://127.0.0.1:3/sf' })).toMatchObject({
      left: { setting: 'IDENTITY_ENDPOINT' },
    })
    expect(selectSource({ ...base, IDENTITY_SERVER_THUMBPRINT: 'xyz' })).toMatchObject({
      left: { setting: 'IDENTITY_SERVER_THUMBPRINT' },
    })
  })

  test('the pod-identity host is trimmed of slashes and used as the IMDS host', () => {
    expect(selectSource({ AZURE_POD_IDENTITY_AUTHORITY_HOST: 'http://127.0.0.1:9/pod/' })).toMatchObject({
      right: { _tag: 'Imds', host: 'http://127.0.0.1:9/pod', podIdentity: true },
    })
  })

  test.each([
    ['login.microsoftonline.com', 'https://login.microsoftonline.com'],
    ['https://login.microsoftonline.com/ ', 'https://login.microsoftonline.com'],
    ['https://login.example//', 'https://login.example'],
  ])('authority host %j becomes %j', (host, expected) => {
    expect(selectSource({ ...layers[5]?.[1], AZURE_AUTHORITY_HOST: host })).toMatchObject({
      right: { authorityHost: expected },
    })
  })

  test('an http authority host is refused', () => {
    expect(selectSource({ ...layers[5]?.[1], AZURE_AUTHORITY_HOST: 'http://login.example' })).toMatchObject({
      left: { _tag: 'InvalidConfiguration', setting: 'AZURE_AUTHORITY_HOST' },
    })
  })
})

describe('selectSource properties', () => {
  test('never throws and is deterministic', () => {
    fc.assert(
      fc.property(environment, (env) => {
        expect(selectSource(env)).toEqual(selectSource(env))
      }),
    )
  })

  test('"" counts as unset', () => {
    fc.assert(
      fc.property(
        environment,
        fc.constantFrom(...Object.keys(layers[0]?.[1] ?? {}), 'MSI_ENDPOINT', 'AZURE_TENANT_ID'),
        (env, name) => {
          const withEmpty = { ...env, [name]: '' }
          const without = { ...env, [name]: undefined }
          expect(selectSource(withEmpty)).toEqual(selectSource(without))
        },
      ),
    )
  })

  test("adding a higher source's variables switches to it", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: layers.length - 1 }),
        fc.integer({ min: 0, max: layers.length - 1 }),
        (i, j) => {
          const [higher, lower] = i <= j ? [i, j] : [j, i]
          const [expected, higherVariables] = layers[higher] ?? ['', {}]
          expect(tagOf({ ...layers[lower]?.[1], ...higherVariables })).toBe(expected)
        },
      ),
    )
  })

  test('explanations never show a secret value', () => {
    fc.assert(
      fc.property(environment, secretValue, secretValue, (env, header, secret) => {
        const withSecrets = { ...env, IDENTITY_HEADER: header, MSI_SECRET: secret }
        const text = JSON.stringify(explainSelection(withSecrets))
        const result = selectSource(withSecrets)
        const error = E.isLeft(result) ? JSON.stringify(result.left) : ''
        for (const value of [header, secret]) {
          expect(text).not.toContain(value)
          expect(error).not.toContain(value)
        }
      }),
    )
  })

  test('explainSelection gives one verdict per source and agrees with selectSource', () => {
    fc.assert(
      fc.property(environment, (env) => {
        const verdicts = explainSelection(env)
        expect(verdicts).toHaveLength(7)
        const chosen = verdicts.filter((verdict) => verdict.outcome === 'chosen')
        const result = selectSource(env)
        if (chosen.length === 0) expect(result).toMatchObject({ left: { _tag: 'NoSource' } })
        else expect(chosen).toHaveLength(1)
        if (E.isRight(result)) expect(chosen[0]?.source).toBe(result.right._tag)
      }),
    )
  })
})

describe('an invalid endpoint echoes no part of its value', () => {
  test.each(['admin:secret@host/path', 'ftp://user:pw@host/x', 'not a url at all s3cr3t'])('%s', (value) => {
    const result = selectSource({ IDENTITY_ENDPOINT: value, IDENTITY_HEADER: 'h' })
    expect(result).toMatchObject({ left: { code: 'invalid_configuration', setting: 'IDENTITY_ENDPOINT' } })
    const message = E.isLeft(result) ? result.left.message : ''
    for (const part of ['admin', 'secret', 'ftp', 'user', 'pw', 's3cr3t']) expect(message).not.toContain(part)
  })
})
