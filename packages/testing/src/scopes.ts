/**
 * fast-check arbitraries for scopes (docs/protocol.md §1.4): exactly one well-formed scope,
 * as Azure SDK clients pass them, and what the core refuses with `invalid_scope`.
 *
 * @since 0.1.0
 */
import * as fc from 'fast-check'

const resource = fc.oneof(
  fc.constantFrom(
    'https://management.azure.com',
    'https://storage.azure.com',
    'https://vault.azure.net',
    'https://database.windows.net',
    'https://graph.microsoft.com',
  ),
  fc.domain().map((domain) => `https://${domain}`),
  fc.uuid().map((id) => `api://${id}`),
)

/**
 * One scope the core accepts: a resource followed by `/.default` (or, rarely, a bare resource
 * with a trailing `/`), using only `A-Z a-z 0-9 - _ . : /`.
 */
export const validScope: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: resource.map((base) => `${base}/.default`) },
  { weight: 1, arbitrary: resource.map((base) => `${base}/`) },
)

const badCharacter = fc.constantFrom(' ', '?', '&', '#', '%', '"', '\n', 'é', '\u0000', '=', '+', '*')

/**
 * What `getToken` refuses with `invalid_scope`: no scope, two or more, or one holding a
 * character outside `A-Z a-z 0-9 - _ . : /` (which could smuggle query syntax into a request).
 */
export const invalidScopes: fc.Arbitrary<string | ReadonlyArray<string>> = fc.oneof(
  fc.constant([]),
  fc.array(validScope, { minLength: 2, maxLength: 4 }),
  fc.constant(''),
  fc.tuple(validScope, badCharacter, fc.nat()).map(([scope, character, at]) => {
    const cut = at % (scope.length + 1)
    return `${scope.slice(0, cut)}${character}${scope.slice(cut)}`
  }),
)
