/**
 * The environment snapshot the core reads, and the rules for reading it.
 *
 * The core never looks at `process.env`: a shell passes a plain record. A variable counts as
 * set only when present and non-empty, as in the reference implementation.
 *
 * @since 0.1.0
 */
import * as E from 'fp-ts/lib/Either.js'
import { type InvalidConfiguration, invalidConfiguration } from './errors.js'
import type { SourceName } from './sourceList.js'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/** A snapshot of environment variables: the only place the core reads the environment from. */
export type Environment = Readonly<Record<string, string | undefined>>

/** Every variable the core reads (docs/protocol.md §1.1). */
export const Variables = {
  /** App Service, Service Fabric and Azure Arc: the token endpoint. */
  IDENTITY_ENDPOINT: 'IDENTITY_ENDPOINT',
  /** App Service and Service Fabric: the secret sent with each request. */
  IDENTITY_HEADER: 'IDENTITY_HEADER',
  /** Service Fabric: the SHA-1 thumbprint of the cluster certificate. */
  IDENTITY_SERVER_THUMBPRINT: 'IDENTITY_SERVER_THUMBPRINT',
  /** Azure Arc: the agent's endpoint (its presence selects Arc). */
  IMDS_ENDPOINT: 'IMDS_ENDPOINT',
  /** Azure ML and Cloud Shell: the token endpoint. */
  MSI_ENDPOINT: 'MSI_ENDPOINT',
  /** Azure ML: the secret sent with each request. */
  MSI_SECRET: 'MSI_SECRET',
  /** Azure ML: the client id of the compute's system-assigned identity. */
  DEFAULT_IDENTITY_CLIENT_ID: 'DEFAULT_IDENTITY_CLIENT_ID',
  /** AAD Pod Identity: the host IMDS requests go to instead of 169.254.169.254. */
  AZURE_POD_IDENTITY_AUTHORITY_HOST: 'AZURE_POD_IDENTITY_AUTHORITY_HOST',
  /** Workload identity: the Microsoft Entra ID authority. */
  AZURE_AUTHORITY_HOST: 'AZURE_AUTHORITY_HOST',
  /** Workload identity: the tenant. */
  AZURE_TENANT_ID: 'AZURE_TENANT_ID',
  /** Workload identity: the application's client id (unless the caller passes one). */
  AZURE_CLIENT_ID: 'AZURE_CLIENT_ID',
  /** Workload identity: the file the platform writes the federated token to. */
  AZURE_FEDERATED_TOKEN_FILE: 'AZURE_FEDERATED_TOKEN_FILE',
  /** AKS identity bindings: the token proxy the Entra request goes to instead. */
  AZURE_KUBERNETES_TOKEN_PROXY: 'AZURE_KUBERNETES_TOKEN_PROXY',
  /** AKS identity bindings: the TLS server name of the token proxy. */
  AZURE_KUBERNETES_SNI_NAME: 'AZURE_KUBERNETES_SNI_NAME',
  /** AKS identity bindings: a PEM file of the CA the token proxy's certificate chains to. */
  AZURE_KUBERNETES_CA_FILE: 'AZURE_KUBERNETES_CA_FILE',
  /** AKS identity bindings: that CA as PEM text. */
  AZURE_KUBERNETES_CA_DATA: 'AZURE_KUBERNETES_CA_DATA',
  /** `error`, `warning`, `info` or `verbose`: log to stderr when no logger is given (docs/protocol.md §6.1). */
  AZURE_LOG_LEVEL: 'AZURE_LOG_LEVEL',
} as const

/** The name of a variable the core reads. */
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

/** Whether `text` holds a C0 control character or DEL, which no header value may carry. */
export const hasControlCharacter = (text: string): boolean =>
  [...text].some((character) => {
    const code = character.charCodeAt(0)
    return code < 0x20 || code === 0x7f
  })

/**
 * A secret the source sends as a header (`IDENTITY_HEADER`, `MSI_SECRET`), as every shell will
 * send it (docs/protocol.md §1.5): spaces and tabs around it trimmed (they are not part of a
 * header value on the wire, and fetch drops them while Node would send them), and a value with
 * a line break or another control character refused, naming the variable and never the value.
 */
export const readHeaderSecret = (
  env: Environment,
  name: Variable,
  source: SourceName,
): E.Either<InvalidConfiguration, string> => {
  const value = (readVariable(env, name) ?? '').replace(/^[ \t]+|[ \t]+$/g, '')
  return hasControlCharacter(value)
    ? E.left(
        invalidConfiguration({
          setting: name,
          source,
          message: `${name} holds a line break or another control character, so it cannot be sent as a header. Check how the variable is set.`,
        }),
      )
    : E.right(value)
}

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
  // No part of the value is echoed, not even the scheme: `admin:secret@host` parses as scheme `admin:`.
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return fail('is not an http or https URL')
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
