/**
 * From the scopes a caller passes to the resource a managed identity endpoint expects
 * (docs/protocol.md §1.4).
 *
 * @since 0.1.0
 */
import * as E from 'fp-ts/lib/Either.js'
import { type InvalidScope, invalidScope } from './errors.js'

/** The peers' scope check: anything else could smuggle query syntax into the request. */
const SCOPE_CHARACTERS = /^[A-Za-z0-9\-_.:/]+$/
const DEFAULT_SUFFIX = '/.default'

const notStrings = (): E.Either<InvalidScope, never> =>
  E.left(
    invalidScope({
      message:
        'Scopes must be a string, or an array holding one string. Pass a scope such as "https://management.azure.com/.default".',
    }),
  )

/** Exactly one well-formed scope (anything a JavaScript caller passes is checked, never trusted). */
export const singleScope = (scopes: unknown): E.Either<InvalidScope, string> => {
  if (typeof scopes !== 'string' && !Array.isArray(scopes)) return notStrings()
  const list: ReadonlyArray<unknown> = typeof scopes === 'string' ? [scopes] : scopes
  if (list.some((each) => typeof each !== 'string')) return notStrings()
  const [scope, extra] = list
  if (scope === undefined) {
    return E.left(
      invalidScope({
        message:
          'No scope was given. Pass exactly one scope, such as "https://management.azure.com/.default".',
      }),
    )
  }
  if (extra !== undefined) {
    return E.left(
      invalidScope({
        message: `Managed identity takes exactly one scope per request; got ${list.length}: ${list.map((s) => JSON.stringify(s)).join(', ')}.`,
      }),
    )
  }
  if (typeof scope !== 'string' || !SCOPE_CHARACTERS.test(scope)) {
    return E.left(
      invalidScope({
        message: `The scope ${JSON.stringify(scope)} contains characters outside A-Z a-z 0-9 - _ . : /. Pass a scope such as "https://storage.azure.com/.default".`,
      }),
    )
  }
  return E.right(scope)
}

/** Drop a trailing `/.default`; nothing else changes (`https://storage.azure.com/` keeps its slash). */
export const toResource = (scope: string): string =>
  scope.endsWith(DEFAULT_SUFFIX) ? scope.slice(0, -DEFAULT_SUFFIX.length) : scope
