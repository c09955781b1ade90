/** The environment arbitraries say what they promise, checked against the core's own selection. */
import {
  type Environment,
  explainSelection,
  identityFromOptions,
  SOURCE_NAMES,
  type SourceName,
  selectSource,
  systemAssigned,
} from '@azmi/core'
import fc from 'fast-check'
import * as E from 'fp-ts/lib/Either.js'
import { describe, expect, test } from 'vitest'
import {
  anyEnvironment,
  environmentFor,
  environmentSecrets,
  nearMissEnvironment,
  REQUIRED_VARIABLES,
  SAMPLE_ENVIRONMENTS,
  SECRET_VARIABLES,
  sourceEnvironment,
} from '../src/index.js'

const chosen = (env: Parameters<typeof selectSource>[0]): SourceName | string => {
  const result = selectSource(env, systemAssigned)
  return E.isRight(result) ? result.right._tag : result.left.code
}

describe('environmentFor', () => {
  test.each(SOURCE_NAMES)('every %s snapshot selects %s', (source) => {
    fc.assert(
      fc.property(environmentFor(source), (env) => {
        expect(chosen(env)).toBe(source)
      }),
      { numRuns: 300 },
    )
  })

  test('sourceEnvironment pairs each snapshot with the source it selects', () => {
    fc.assert(
      fc.property(sourceEnvironment, ({ source, env }) => {
        expect(chosen(env)).toBe(source)
      }),
    )
  })

  test('snapshots carry noise: lower-precedence variables and inert higher ones appear', () => {
    const samples = fc.sample(environmentFor('AzureML'), 300)
    expect(samples.some((env) => env.AZURE_FEDERATED_TOKEN_FILE !== undefined)).toBe(true)
    expect(samples.some((env) => env.IDENTITY_ENDPOINT === '')).toBe(true)
    expect(samples.some((env) => env.IDENTITY_HEADER !== undefined)).toBe(true)
  })
})

describe('nearMissEnvironment', () => {
  test.each(SOURCE_NAMES)('no near miss of %s selects it', (source) => {
    fc.assert(
      fc.property(nearMissEnvironment(source), (env) => {
        expect(chosen(env)).not.toBe(source)
      }),
      { numRuns: 300 },
    )
  })

  test('the misses include a blanked required variable and the half-set IDENTITY_ENDPOINT that stops selection', () => {
    const misses = fc.sample(nearMissEnvironment('CloudShell'), 300)
    expect(misses.some((env) => env.MSI_ENDPOINT === '')).toBe(true)
    expect(misses.some((env) => chosen(env) === 'no_source')).toBe(true)
    expect(REQUIRED_VARIABLES.Imds).toEqual([])
    expect(fc.sample(nearMissEnvironment('Imds'), 50).every((env) => chosen(env) === 'no_source')).toBe(true)
  })
})

const occurrences = (text: string, part: string) => text.split(part).length - 1

const withSecretsMarked = (env: Environment): Environment =>
  Object.fromEntries(
    Object.entries(env).map(([name, value]) => [
      name,
      value !== undefined && value.trim() !== '' && SECRET_VARIABLES.includes(name) ? '\u0001' : value,
    ]),
  )

describe('anyEnvironment', () => {
  test('selection and its explanation are total, and the explanation shows no secret', () => {
    fc.assert(
      fc.property(anyEnvironment, (env) => {
        expect(() => selectSource(env)).not.toThrow()
        const text = JSON.stringify(explainSelection(env))
        // a short random secret may happen to be a piece of the fixed wording ("pply" of
        // "apply"): it must not occur more often than in the same explanation with every
        // secret replaced by a marker
        const masked = JSON.stringify(explainSelection(withSecretsMarked(env)))
        for (const secret of environmentSecrets(env))
          expect(occurrences(text, secret)).toBeLessThanOrEqual(occurrences(masked, secret))
      }),
      { numRuns: 500 },
    )
  })
})

describe('samples and secrets', () => {
  test.each(SOURCE_NAMES)('the %s sample selects it', (source) => {
    expect(chosen(SAMPLE_ENVIRONMENTS[source])).toBe(source)
    expect(E.isRight(identityFromOptions({}))).toBe(true)
  })

  test('environmentSecrets lists IDENTITY_HEADER and MSI_SECRET, as set and trimmed, and nothing short', () => {
    expect(
      environmentSecrets({ IDENTITY_HEADER: ' header-value ', MSI_SECRET: 'abc', MSI_ENDPOINT: 'http://x' }),
    ).toEqual([' header-value ', 'header-value'])
  })
})
