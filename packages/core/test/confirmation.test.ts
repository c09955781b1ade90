/**
 * Never the wrong identity (docs/protocol.md §1.3): a reply to a user-assigned request that
 * names another identity is discarded, for every source whose replies name one; a reply that
 * names none is accepted, except from Azure Arc (whose tests are in sources/AzureArc.test.ts).
 */
import { describe, expect, test } from 'vitest'
import { IDENTITIES, tokenReply, walkFor } from './sources/plans.js'

const SOURCES = {
  Imds: { env: {}, names: { clientId: 'client_id', objectId: 'object_id', resourceId: 'msi_res_id' } },
  AppService: {
    env: { IDENTITY_ENDPOINT: 'http://127.0.0.1:1/as', IDENTITY_HEADER: 'as-identity-header' },
    names: { clientId: 'client_id', objectId: 'object_id', resourceId: 'mi_res_id' },
  },
  AzureML: {
    env: { MSI_ENDPOINT: 'http://127.0.0.1:1/ml', MSI_SECRET: 'ml-secret-value' },
    names: { clientId: 'clientid', objectId: 'object_id', resourceId: 'msi_res_id' },
  },
} as const

describe.each(Object.entries(SOURCES))('%s', (_name, { env, names }) => {
  describe.each(IDENTITIES.filter(([kind]) => kind !== 'system'))(
    'with the %s identity',
    (_kind, identity) => {
      const [option = '', value = ''] = Object.entries(identity)[0] ?? []
      const field = names[option as keyof typeof names]

      test('an echo of the same identity, in any case, is accepted', () => {
        const walked = walkFor(env, { replies: [tokenReply({ [field]: value.toUpperCase() })] }, { identity })
        expect(walked.result).toMatchObject({ right: { token: 'at' } })
      })

      test('no echo at all is accepted', () => {
        expect(walkFor(env, { replies: [tokenReply()] }, { identity }).result).toMatchObject({
          _tag: 'Right',
        })
      })

      test('an echo of another identity: the token is discarded, identity_not_confirmed', () => {
        const walked = walkFor(env, { replies: [tokenReply({ [field]: 'another-identity' })] }, { identity })
        expect(walked.result).toMatchObject({
          left: {
            code: 'identity_not_confirmed',
            family: 'failed',
            field,
            expected: value,
            actual: 'another-identity',
          },
        })
        expect(JSON.stringify(walked.result)).not.toContain('"at"')
      })
    },
  )

  test('the system-assigned identity is not checked', () => {
    expect(walkFor(env, { replies: [tokenReply({ client_id: 'whoever' })] }).result).toMatchObject({
      _tag: 'Right',
    })
  })
})
