/**
 * The environment snapshot the core reads, and the rules for reading it.
 *
 * The core never looks at `process.env`: a shell passes a plain record. A variable counts as
 * set only when present and non-empty, as in the reference implementation.
 *
 * @since 0.1.0
 */
import * as E from 'fp-ts/lib/Either.js'
import { type InvalidConfiguration, invalidConfiguration, type SourceName } from './errors.js'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

export type Environment = Readonly<Record<string, string | undefined>>

/** Every variable the core reads (protocol.md §1.1). */
export const Variables = {
  IDENTITY_ENDPOINT: 'IDENTITY_ENDPOINT',
  IDENTITY_HEADER: 'IDENTITY_HEADER',
  IDENTITY_SERVER_THUMBPRINT: 'IDENTITY_SERVER_THUMBPRINT',
  IMDS_ENDPOINT: 'IMDS_ENDPOINT',
  MSI_ENDPOINT: 'MSI_ENDPOINT',
  MSI_SECRET: 'MSI_SECRET',
  DEFAULT_IDENTITY_CLIENT_ID: 'DEFAULT_IDENTITY_CLIENT_ID',
  AZURE_POD_IDENTITY_AUTHORITY_HOST: 'AZURE_POD_IDENTITY_AUTHORITY_HOST',
  AZURE_AUTHORITY_HOST: 'AZURE_AUTHORITY_HOST',
  AZURE_TENANT_ID: 'AZURE_TENANT_ID',
  AZURE_CLIENT_ID: 'AZURE_CLIENT_ID',
  AZURE_FEDERATED_TOKEN_FILE: 'AZURE_FEDERATED_TOKEN_FILE',
} as const

export type Variable = keyof typeof Variables

/** Variables whose values are secrets: never shown in an explanation, error or log. */
export const secretVariables: ReadonlySet<Variable> = new Set(['IDENTITY_HEADER', 'MSI_SECRET'])

// -------------------------------------------------------------------------------------
// destructors
// -------------------------------------------------------------------------------------

/** The value of a variable when it is set (present and not `""`). */
export const readVariable = (env: Environment, name: Variable): string | undefined => {
  const value = env[name]
  return value === undefined || value === '' ? undefined : value
}

export const isSet = (env: Environment, name: Variable): boolean => readVariable(env, name) !== undefined

/** "A and B set, C missing": for explanations. Names only, never values. */
export const describeVariables = (env: Environment, names: ReadonlyArray<Variable>): string => {
  const set = names.filter((name) => isSet(env, name))
  const missing = names.filter((name) => !isSet(env, name))
  const parts = [
    set.length > 0 ? `${set.join(', ')} set` : '',
    missing.length > 0 ? `${missing.join(', ')} not set` : '',
  ]
  return parts.filter((part) => part !== '').join('; ')
}

// -------------------------------------------------------------------------------------
// validation
// -------------------------------------------------------------------------------------

/**
 * Parse an endpoint as an absolute `http:`/`https:` URL without user information.
 * The error names the setting, never its value: a URL may carry credentials.
 */
export const parseEndpoint = (
  setting: string,
  value: string,
  source: SourceName,
): E.Either<InvalidConfiguration, string> => {
  const url = tryParseUrl(value)
  const fail = (problem: string) =>
    E.left(
      invalidConfiguration({
        setting,
        source,
        message: `${setting} ${problem}. Set it to the absolute http(s) URL of the ${source} managed identity endpoint.`,
      }),
    )
  if (url === undefined) return fail('is not an absolute URL')
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return fail(`uses the scheme "${url.protocol}"`)
  if (url.username !== '' || url.password !== '') return fail('contains user information (user:password@)')
  if (url.hash !== '') return fail('contains a fragment (#...)')
  return E.right(url.toString())
}

const tryParseUrl = (value: string): URL | undefined => {
  try {
    return new URL(value)
  } catch {
    return undefined
  }
}
