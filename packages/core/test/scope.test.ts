import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import { singleScope, toResource } from '../src/index.js'

describe('toResource', () => {
  test.each([
    ['https://management.azure.com/.default', 'https://management.azure.com'],
    ['https://storage.azure.com/', 'https://storage.azure.com/'],
    ['api://x/.default', 'api://x'],
    ['https://vault.azure.net', 'https://vault.azure.net'],
  ])('%s → %s', (scope, resource) => {
    expect(toResource(scope)).toBe(resource)
  })

  test('removes exactly one /.default suffix and changes nothing else', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[A-Za-z0-9:/._-]{1,40}$/), (prefix) => {
        expect(toResource(`${prefix}/.default`)).toBe(prefix)
        if (!prefix.endsWith('/.default')) expect(toResource(prefix)).toBe(prefix)
      }),
    )
  })
})

describe('singleScope', () => {
  test('accepts one scope as a string or a one-element array', () => {
    expect(singleScope('https://x/.default')).toEqual({ _tag: 'Right', right: 'https://x/.default' })
    expect(singleScope(['https://x/.default'])).toEqual({ _tag: 'Right', right: 'https://x/.default' })
  })

  test.each([[[]], [['a', 'b']]])('refuses %j', (scopes) => {
    expect(singleScope(scopes)).toMatchObject({
      left: { _tag: 'InvalidScope', code: 'invalid_scope', family: 'configuration' },
    })
  })

  test.each(['https://x/.default?x=1', 'https://x/ .default', 'https://x/&resource=evil', 'a"b', 'x#y'])(
    'refuses %j and shows it',
    (scope) => {
      const result = singleScope(scope)
      expect(result).toMatchObject({ left: { _tag: 'InvalidScope' } })
      expect(result._tag === 'Left' && result.left.message).toContain(JSON.stringify(scope))
    },
  )
})
