/**
 * AKS identity bindings (docs/protocol.md §2.7): workload identity's token request goes to the
 * cluster's token proxy instead of Entra ID, over TLS verified against the proxy's own CA and
 * server name. The variables are the opt-in; every one of them is checked before any request.
 *
 * @see https://learn.microsoft.com/azure/aks/identity-bindings-concepts
 * @since 0.2.0
 */
import * as E from 'fp-ts/lib/Either.js'
import { type Environment, readVariable, type Variable } from '../environment.js'
import { type InvalidConfiguration, invalidConfiguration } from '../errors.js'

/**
 * Where the proxy's CA comes from: `File`, a path re-read before each request
 * (`AZURE_KUBERNETES_CA_FILE`); `Data`, PEM text (`AZURE_KUBERNETES_CA_DATA`); or `System`,
 * the host's own trust store when neither is set.
 */
export type ProxyAuthority =
  | {
      /** The case: a CA file. */
      readonly _tag: 'File'
      /** Where the CA file is. */
      readonly path: string
    }
  | {
      /** The case: CA text. */
      readonly _tag: 'Data'
      /** The CA as PEM. */
      readonly pem: string
    }
  | {
      /** The case: the host's trust store. */
      readonly _tag: 'System'
    }

/** The token proxy of an AKS identity binding. */
export interface TokenProxy {
  /** `https://host[:port][/path]`, no trailing slash: the authority's path is appended to it. */
  readonly url: string
  /** The TLS server name to send and verify, when not the URL's host. */
  readonly servername: string | undefined
  /** The CA the proxy's certificate must chain to. */
  readonly authority: ProxyAuthority
}

const refuse = (setting: Variable, problem: string): E.Either<InvalidConfiguration, never> =>
  E.left(
    invalidConfiguration({
      setting,
      source: 'WorkloadIdentity',
      message: `${setting} ${problem}.`,
    }),
  )

const tryParseUrl = (value: string): URL | undefined => {
  try {
    return new URL(value)
  } catch {
    return undefined
  }
}

/** The proxy URL: https, no user information, query or fragment. The error never echoes the value. */
const proxyUrl = (value: string): E.Either<InvalidConfiguration, string> => {
  const url = tryParseUrl(value)
  const setting = 'AZURE_KUBERNETES_TOKEN_PROXY'
  if (url === undefined || url.protocol !== 'https:') return refuse(setting, 'must be an absolute https URL')
  if (url.username !== '' || url.password !== '') return refuse(setting, 'must not contain user information')
  if (url.search !== '' || url.hash !== '') return refuse(setting, 'must not contain a query or a fragment')
  return E.right(`${url.origin}${url.pathname}`.replace(/\/+$/, ''))
}

const authorityOf = (env: Environment): E.Either<InvalidConfiguration, ProxyAuthority> => {
  const file = readVariable(env, 'AZURE_KUBERNETES_CA_FILE')
  const data = readVariable(env, 'AZURE_KUBERNETES_CA_DATA')
  if (file !== undefined && data !== undefined)
    return refuse('AZURE_KUBERNETES_CA_DATA', 'and AZURE_KUBERNETES_CA_FILE are both set: set one of them')
  if (file !== undefined) return E.right({ _tag: 'File', path: file })
  return E.right(data === undefined ? { _tag: 'System' } : { _tag: 'Data', pem: data })
}

const BINDING_VARIABLES = [
  'AZURE_KUBERNETES_SNI_NAME',
  'AZURE_KUBERNETES_CA_FILE',
  'AZURE_KUBERNETES_CA_DATA',
] as const

/**
 * The token proxy the environment names, `undefined` when it names none, or why its variables
 * are unusable (a CA or server name without a proxy is a mistake, not an opt-out).
 */
export const tokenProxyOf = (env: Environment): E.Either<InvalidConfiguration, TokenProxy | undefined> => {
  const proxy = readVariable(env, 'AZURE_KUBERNETES_TOKEN_PROXY')
  if (proxy === undefined) {
    const stray = BINDING_VARIABLES.find((name) => readVariable(env, name) !== undefined)
    return stray === undefined
      ? E.right(undefined)
      : refuse(stray, 'is set but AZURE_KUBERNETES_TOKEN_PROXY is not')
  }
  const url = proxyUrl(proxy)
  if (E.isLeft(url)) return url
  const authority = authorityOf(env)
  if (E.isLeft(authority)) return authority
  return E.right({
    url: url.right,
    servername: readVariable(env, 'AZURE_KUBERNETES_SNI_NAME'),
    authority: authority.right,
  })
}

/** The CA file was empty, and no earlier copy of it exists to keep using. */
export const emptyCaFile = (): InvalidConfiguration =>
  invalidConfiguration({
    setting: 'AZURE_KUBERNETES_CA_FILE',
    source: 'WorkloadIdentity',
    message:
      'AZURE_KUBERNETES_CA_FILE is empty and no earlier copy of the CA is known. It is rewritten while the CA rotates: try again shortly, or check the identity binding.',
  })
