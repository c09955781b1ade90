import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import { createIdentities, otherIdentity, selectIdentity } from '../src/identities.js'

const names = { clientId: 'client_id', objectId: 'object_id', resourceId: 'msi_res_id' } as const
const identities = createIdentities()

describe('selectIdentity', () => {
  test('no identity parameter selects the system-assigned identity', () => {
    expect(selectIdentity(identities, { resource: 'x' }, names)).toEqual({
      _tag: 'found',
      identity: identities.system,
    })
  })

  test('any one parameter finds its identity in any letter case', () => {
    const field = fc.constantFrom('clientId', 'objectId', 'resourceId') as fc.Arbitrary<keyof typeof names>
    const which = fc.constantFrom('user', 'system') as fc.Arbitrary<'user' | 'system'>
    fc.assert(
      fc.property(field, which, fc.func(fc.boolean()), (key, owner, upper) => {
        const id = [...identities[owner][key]]
          .map((char, index) => (upper(index) ? char.toUpperCase() : char.toLowerCase()))
          .join('')
        expect(selectIdentity(identities, { [names[key]]: id }, names)).toEqual({
          _tag: 'found',
          identity: identities[owner],
          selector: { parameter: names[key], field: key },
        })
      }),
    )
  })

  test('an unknown id is notFound and two parameters are ambiguous', () => {
    expect(selectIdentity(identities, { client_id: 'nobody' }, names)).toEqual({
      _tag: 'notFound',
      parameter: 'client_id',
    })
    const both = { client_id: identities.user.clientId, msi_res_id: identities.user.resourceId }
    expect(selectIdentity(identities, both, names)).toEqual({
      _tag: 'ambiguous',
      parameters: ['client_id', 'msi_res_id'],
    })
  })

  test('the other identity of each is the other one', () => {
    expect(otherIdentity(identities, identities.user)).toBe(identities.system)
    expect(otherIdentity(identities, identities.system)).toBe(identities.user)
  })

  test('identities are fresh and distinct', () => {
    const other = createIdentities()
    expect(new Set([identities.user.clientId, identities.system.clientId, other.user.clientId]).size).toBe(3)
  })
})
