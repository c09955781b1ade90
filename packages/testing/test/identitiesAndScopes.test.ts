/** Identity and scope arbitraries agree with the core's checks. */
import { identityFromOptions, singleScope } from '@azmi/core'
import fc from 'fast-check'
import * as E from 'fp-ts/lib/Either.js'
import { expect, test } from 'vitest'
import {
  identityOptions,
  invalidIdentityOptions,
  invalidScopes,
  userAssignedOptions,
  validScope,
} from '../src/index.js'

test('valid identity options are accepted; user-assigned ones name a user-assigned identity', () => {
  fc.assert(
    fc.property(identityOptions, (options) => {
      expect(E.isRight(identityFromOptions(options))).toBe(true)
    }),
  )
  fc.assert(
    fc.property(userAssignedOptions, (options) => {
      expect(identityFromOptions(options)).toMatchObject({ right: { _tag: expect.stringMatching(/Id$/) } })
    }),
  )
})

test('invalid identity options are invalid_configuration, naming the options', () => {
  fc.assert(
    fc.property(invalidIdentityOptions, (options) => {
      expect(identityFromOptions(options)).toMatchObject({
        left: {
          code: 'invalid_configuration',
          setting: expect.stringMatching(/clientId|objectId|resourceId/),
        },
      })
    }),
  )
})

test('valid scopes pass singleScope unchanged; invalid ones are invalid_scope', () => {
  fc.assert(
    fc.property(validScope, (scope) => {
      expect(singleScope(scope)).toEqual(E.right(scope))
    }),
  )
  fc.assert(
    fc.property(invalidScopes, (scopes) => {
      expect(singleScope(scopes)).toMatchObject({ left: { code: 'invalid_scope' } })
    }),
    { numRuns: 300 },
  )
})
