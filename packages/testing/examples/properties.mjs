// A library built on azmi, property-tested with @azmi/testing: run it with `node`.
import assert from 'node:assert/strict'
import { createManagedIdentityClient, identityFromOptions, selectSource } from '@azmi/core'
import {
  anyEnvironment,
  environmentSecrets,
  fakeCapabilities,
  identityOptions,
  nearMissEnvironment,
  replySequence,
  sourceEnvironment,
  sourceName,
} from '@azmi/testing'
import fc from 'fast-check'

// ---- the library under test: its configuration logic and its error messages --------------

/** Which hosting environment the library will use for `config`, or why none. */
const hostingEnvironment = ({ env, ...identity }) => {
  const chosen = identityFromOptions(identity)
  if (chosen._tag === 'Left') return { source: undefined, problem: chosen.left.code }
  const selected = selectSource(env, chosen.right)
  return selected._tag === 'Right'
    ? { source: selected.right._tag, problem: undefined }
    : { source: undefined, problem: selected.left.code }
}

/** A token, or the library's own error text. */
const fetchToken = async (config, capabilities) => {
  const result = await createManagedIdentityClient(config, capabilities).getToken(
    'https://vault.azure.net/.default',
  )
  return result._tag === 'Right'
    ? result.right
    : `my-lib could not get a token (${result.left.code}): ${result.left.message}`
}

// ---- its properties ----------------------------------------------------------------------

const environments = fc.oneof(
  anyEnvironment,
  sourceEnvironment.map(({ env }) => env),
  sourceName.chain(nearMissEnvironment),
)

// 1. My wrapper picks the same source as selectSource, for any environment and identity.
fc.assert(
  fc.property(environments, identityOptions, (env, identity) => {
    const expected = selectSource(env, identityFromOptions(identity).right)
    assert.equal(
      hostingEnvironment({ env, ...identity }).source,
      expected._tag === 'Right' ? expected.right._tag : undefined,
    )
  }),
)

// 2. No secret of the environment appears in my error output, whatever the endpoint does.
await fc.assert(
  fc.asyncProperty(sourceEnvironment, replySequence(), async ({ env }, replies) => {
    const world = fakeCapabilities({ endpoint: replies })
    const outcome = await fetchToken({ env, retry: { maxRetries: 2 } }, world.capabilities)
    if (typeof outcome !== 'string') return
    for (const secret of environmentSecrets(env))
      assert.ok(!outcome.includes(secret), 'a secret leaked into an error')
  }),
)

console.log('2 properties held, 100 runs each')
