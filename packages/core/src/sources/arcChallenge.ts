/**
 * Azure Arc's challenge, read strictly (docs/protocol.md §2.4): the first reply must be a 401
 * naming one key file; the file's contents become a header value, so they must be one.
 *
 * @since 0.2.0
 */
import * as E from 'fp-ts/lib/Either.js'
import type { FileFailure } from '../capabilities.js'
import { hasControlCharacter } from '../environment.js'
import { arcChallenge, arcKeyFile, type ManagedIdentityError, unsupportedRuntime } from '../errors.js'

/** One realm, unquoted; `=`, quotes, commas, semicolons and control characters are refused outright. */
const CHALLENGE = /^Basic realm=([^"=,;]+)$/i

/** The key path named by a 401 challenge, or why the reply is not a usable challenge. */
export const realmOfChallenge = (
  status: number,
  header: string | undefined,
): E.Either<ManagedIdentityError, string> => {
  const fail = (problem: string) =>
    E.left(
      arcChallenge({
        source: 'AzureArc',
        status,
        message: `Azure Arc endpoint ${problem}. Check that the Azure Connected Machine agent is running.`,
      }),
    )
  if (status !== 401)
    return fail(`answered the first request with status ${status} instead of a 401 challenge`)
  if (header === undefined) return fail('sent a 401 without a WWW-Authenticate header')
  const match = hasControlCharacter(header) ? null : CHALLENGE.exec(header.trim())
  return match?.[1] === undefined
    ? fail('sent a WWW-Authenticate header that is not "Basic realm=<path>"')
    : E.right(match[1])
}

/** Why the key file could not be used, as the error the caller sees. */
export const keyFileError = (failure: FileFailure): ManagedIdentityError => {
  if (failure.kind === 'unsupported') {
    return unsupportedRuntime({
      source: 'AzureArc',
      capability: 'readFile',
      message:
        "Azure Arc needs to read the agent's key file, but this runtime was given no readFile capability. Pass one to the credential.",
    })
  }
  const rule =
    failure.kind === 'not-regular-file'
      ? 'not-regular-file'
      : failure.kind === 'too-large'
        ? 'too-large'
        : 'unreadable'
  return arcKeyFile({
    source: 'AzureArc',
    rule,
    message: `Could not use the Azure Arc key file (${failure.kind}): ${failure.detail}`,
  })
}

/**
 * The key exactly as read, if it can be sent as it is. A key with a line break (or another
 * control character) cannot be a header value: every shell refuses it the same way rather
 * than one trimming it and another failing (docs/protocol.md §2.4).
 */
export const sendableKey = (key: string): E.Either<ManagedIdentityError, string> =>
  hasControlCharacter(key)
    ? E.left(
        arcKeyFile({
          source: 'AzureArc',
          rule: 'content',
          message:
            'The Azure Arc key file holds a line break or another control character, so it cannot be sent as a header; it was not sent. Check the Azure Connected Machine agent.',
        }),
      )
    : E.right(key)
