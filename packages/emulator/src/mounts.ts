/**
 * Where each environment is served: on its own listener under its path prefix, and, for two
 * of them, on an extra listener at the real service's paths (the Arc agent's port, the AKS
 * token proxy). A mount maps a path on its listener to the path the environment answers, so
 * that the environments know one layout only.
 *
 * @module
 */
import { type Environment, isUnderPrefix, type ListenerName } from './environments/Environment.js'

/** One environment on one listener. */
export interface Mount {
  readonly environment: Environment
  /** The environment's own path for `path`, or `undefined` when `path` is not this mount's. */
  route(path: string): string | undefined
  /** Set on the extra listeners, and recorded with each request that came that way. */
  readonly via?: 'tokenProxy' | 'arcAgent'
}

/** `path` without a trailing slash; `/` becomes `''` (the proxy URL has no path of its own). */
export const normalizeProxyPath = (path: string): string => {
  const withSlash = path.startsWith('/') ? path : `/${path}`
  return withSlash.replace(/\/+$/, '')
}

/** The proxy URL clients are given: the listener's base URL and the proxy path (`/` when none). */
export const tokenProxyUrl = (base: string, proxyPath: string): string =>
  `${base}${proxyPath === '' ? '/' : proxyPath}`

const prefixMount = (environment: Environment): Mount => ({
  environment,
  route: (path) => (isUnderPrefix(path, environment.pathPrefix) ? path : undefined),
})

/** The agent serves everything at its root: `/metadata/identity/oauth2/token`, as on 40342. */
const arcAgentMount = (arc: Environment): Mount => ({
  environment: arc,
  route: (path) => `${arc.pathPrefix}${path}`,
  via: 'arcAgent',
})

/**
 * The proxy URL's path followed by the authority's path (`docs/protocol.md §2.7`): the
 * authority path is `/{tenant}/...`, or `/entra/{tenant}/...` when a client keeps the path of
 * the `AZURE_AUTHORITY_HOST` it was given (as azidentity's `JoinPath` does).
 */
const tokenProxyMount = (workloadIdentity: Environment, proxyPath: string): Mount => ({
  environment: workloadIdentity,
  route: (path) => {
    if (proxyPath !== '' && !isUnderPrefix(path, proxyPath)) return undefined
    const rest = path.slice(proxyPath.length)
    const prefix = workloadIdentity.pathPrefix
    return isUnderPrefix(rest, prefix) ? rest : `${prefix}${rest}`
  },
  via: 'tokenProxy',
})

/** The mounts of `listener`, given every environment and the token proxy's path. */
export const mountsOf = (
  listener: ListenerName,
  environments: ReadonlyArray<Environment>,
  proxyPath: string,
): ReadonlyArray<Mount> => {
  const named = (name: string) => environments.filter((each) => each.name === name)
  switch (listener) {
    case 'arcAgent':
      return named('AzureArc').map(arcAgentMount)
    case 'tokenProxy':
      return named('WorkloadIdentity').map((each) => tokenProxyMount(each, proxyPath))
    default:
      return environments.filter((each) => each.listener === listener).map(prefixMount)
  }
}
