/**
 * The positional client id from plain JavaScript, in both shells (docs/protocol.md §1.3), as
 * `@azure/identity` takes it: `new ManagedIdentityCredential('<client id>', { env })` means the
 * user-assigned identity with that client id, so `client_id` goes on the wire and its token
 * comes back. No type checker stands between a JavaScript caller and the constructor, so any
 * other first argument (a number, `null`, an array) must be a configuration error thrown right
 * there, never a `TypeError` and never the system-assigned identity by accident.
 *
 * fetch-io takes `env` only from its caller, so a client id without options is a configuration
 * error too, naming `env` (node-io would read `process.env` instead, which no test may do).
 * Plain JavaScript on purpose: this file is what an untyped caller writes, with each package's
 * public constructor and nothing of the TypeScript test harness.
 */
import { ManagedIdentityCredential as FetchCredential } from '@azmi/fetch-io'
import { ManagedIdentityCredential as NodeCredential } from '@azmi/node-io'
import { claimsOf, emulatorPerFile, RESOURCE, requestsTo, SCOPE, tokenRequests } from '@azmi/test-support'
import { afterEach, describe, expect, test } from 'vitest'

const emulator = emulatorPerFile()

/** Each shell's public constructor, by the shell's name. */
const CONSTRUCTORS = [
  ['node-io', NodeCredential],
  ['fetch-io', FetchCredential],
]

/** node-io's credentials keep a connection pool: let go of it after each test. */
const opened = []
afterEach(() => {
  for (const credential of opened.splice(0)) credential.close?.()
})

/** What `construct` threw, or a value no error matches when it built a credential instead. */
const thrownBy = (construct) => {
  try {
    opened.push(construct())
  } catch (error) {
    return error
  }
  return 'nothing was thrown'
}

/** The configuration error the constructor throws for a first argument it cannot read. */
const wrongFirstArgument = {
  name: 'CredentialUnavailableError',
  code: 'invalid_configuration',
  details: { _tag: 'InvalidConfiguration', family: 'configuration', setting: 'options' },
}

describe.each(CONSTRUCTORS)(
  '%s: new ManagedIdentityCredential("<client id>", { env })',
  (_shell, Credential) => {
    test.each(['AppService', 'Imds'])(
      '%s: client_id on the wire, and the user-assigned token',
      async (source) => {
        const { user } = emulator().identities
        const credential = new Credential(user.clientId, { env: emulator().env(source) })
        opened.push(credential)
        const { token } = await credential.getToken(SCOPE)
        expect(claimsOf(token)).toEqual({ aud: RESOURCE, appid: user.clientId, oid: user.objectId })
        const sent = requestsTo(emulator(), source)
        expect(sent).toHaveLength(1)
        expect(sent[0].query).toMatchObject({ client_id: user.clientId, resource: RESOURCE })
      },
    )

    test.each([
      ['a number', 123],
      ['null', null],
      ['an array', ['11111111-2222-3333-4444-555555555555']],
      ['a boolean', true],
    ])('%s as the first argument: invalid_configuration from the constructor', (_what, first) => {
      const env = emulator().env('AppService')
      expect(thrownBy(() => new Credential(first, { env }))).toMatchObject(wrongFirstArgument)
      expect(tokenRequests(emulator())).toEqual([])
    })

    test('a client id given twice (positional and clientId): invalid_configuration naming clientId', () => {
      const { user } = emulator().identities
      const env = emulator().env('AppService')
      expect(thrownBy(() => new Credential(user.clientId, { env, clientId: user.clientId }))).toMatchObject({
        code: 'invalid_configuration',
        details: { setting: 'clientId' },
      })
    })

    test('a string options argument after the client id: invalid_configuration naming options', () => {
      const { user } = emulator().identities
      expect(thrownBy(() => new Credential(user.clientId, 'AppService'))).toMatchObject(wrongFirstArgument)
    })
  },
)

describe('fetch-io: the client id alone', () => {
  test('a client id and no options: invalid_configuration naming env (fetch-io reads no global)', () => {
    const { user } = emulator().identities
    expect(thrownBy(() => new FetchCredential(user.clientId))).toMatchObject({
      name: 'CredentialUnavailableError',
      code: 'invalid_configuration',
      details: { setting: 'env' },
    })
  })
})
