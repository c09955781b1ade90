/**
 * Service Fabric: `IDENTITY_ENDPOINT`, `IDENTITY_HEADER` and `IDENTITY_SERVER_THUMBPRINT`.
 *
 * The endpoint serves the cluster's own certificate, which no public CA signs. The reference
 * switches TLS verification off; azmi pins the certificate's SHA-1 thumbprint instead, so the
 * identity header only ever reaches the cluster's endpoint.
 *
 * @see https://learn.microsoft.com/azure/service-fabric/how-to-managed-identity-service-fabric-app-code
 * @since 0.1.0
 */
import * as E from 'fp-ts/lib/Either.js'
import { pipe } from 'fp-ts/lib/function.js'
import { describeVariables, isSet, parseEndpoint, readHeaderSecret, readVariable } from '../environment.js'
import { invalidConfiguration } from '../errors.js'
import { exchangeForToken } from '../exchange.js'
import { withQuery } from '../http.js'
import { requireSystemAssigned } from '../identity.js'
import { digest, note } from '../plan.js'
import { toResource } from '../scope.js'
import type { SourceModule, TokenRequest } from '../source.js'
import { RETRY_SCHEDULES } from './retrySchedules.js'

/** A Service Fabric application, from `IDENTITY_ENDPOINT`, `IDENTITY_HEADER` and `IDENTITY_SERVER_THUMBPRINT`. */
export interface ServiceFabric {
  /** The source's name. */
  readonly _tag: 'ServiceFabric'
  /** The token endpoint (https). */
  readonly endpoint: string
  /** Secret. */
  readonly identityHeader: string
  /** Upper-case hex SHA-1 of the cluster certificate. */
  readonly thumbprint: string
}

const API_VERSION = '2019-07-01-preview'

const VARIABLES = ['IDENTITY_ENDPOINT', 'IDENTITY_HEADER', 'IDENTITY_SERVER_THUMBPRINT'] as const

/** 40 hex digits, optionally separated by colons or spaces as certificate tools print them. */
export const normaliseThumbprint = (value: string): string | undefined => {
  const hex = value.replace(/[\s:]/g, '').toUpperCase()
  return /^[0-9A-F]{40}$/.test(hex) ? hex : undefined
}

/** Pinning needs TLS: over plain http the header would travel unprotected to whoever answers. */
const requireHttps = (endpoint: string) =>
  endpoint.startsWith('https:')
    ? E.right(endpoint)
    : E.left(
        invalidConfiguration({
          setting: 'IDENTITY_ENDPOINT',
          source: 'ServiceFabric',
          message:
            'IDENTITY_ENDPOINT must be an https URL for Service Fabric: azmi pins the cluster certificate and will not send the identity header over plain http.',
        }),
      )

/**
 * The token request; with claims and a cached token it asks for that token's revocation, and
 * it declares the client's capabilities (docs/protocol.md §2.3).
 */
const exchange = (source: ServiceFabric, request: TokenRequest, revokedSha256: string | undefined) => {
  const capabilities = request.clientCapabilities.join(',')
  const httpRequest = {
    method: 'GET' as const,
    url: withQuery(source.endpoint, [
      ['api-version', API_VERSION],
      ['resource', toResource(request.scope)],
      ...(revokedSha256 === undefined ? [] : [['token_sha256_to_refresh', revokedSha256] as const]),
      ...(capabilities === '' ? [] : [['xms_cc', capabilities] as const]),
    ]),
    headers: { Secret: source.identityHeader },
    timeoutMs: request.timeoutMs,
    tls: { sha1Thumbprint: source.thumbprint },
  }
  return exchangeForToken('ServiceFabric', httpRequest, RETRY_SCHEDULES.ServiceFabric, request)
}

export const ServiceFabricSource: SourceModule<ServiceFabric> = {
  name: 'ServiceFabric',
  retry: RETRY_SCHEDULES.ServiceFabric,
  notes: [
    'a claims call asks Service Fabric to revoke the cached token (token_sha256_to_refresh)',
    'clientCapabilities are sent as xms_cc',
  ],
  detect: (env) =>
    VARIABLES.every((name) => isSet(env, name))
      ? { _tag: 'Match', reason: `${VARIABLES.join(', ')} set` }
      : { _tag: 'NoMatch', reason: describeVariables(env, VARIABLES) },
  fromEnvironment: (env, identity) =>
    pipe(
      requireSystemAssigned('ServiceFabric', identity, 'the Service Fabric cluster configuration'),
      E.flatMap(() =>
        parseEndpoint('IDENTITY_ENDPOINT', readVariable(env, 'IDENTITY_ENDPOINT') ?? '', 'ServiceFabric'),
      ),
      E.flatMap(requireHttps),
      E.flatMap((endpoint) => {
        const thumbprint = normaliseThumbprint(readVariable(env, 'IDENTITY_SERVER_THUMBPRINT') ?? '')
        const identityHeader = readHeaderSecret(env, 'IDENTITY_HEADER', 'ServiceFabric')
        if (E.isLeft(identityHeader)) return identityHeader
        return thumbprint === undefined
          ? E.left(
              invalidConfiguration({
                setting: 'IDENTITY_SERVER_THUMBPRINT',
                source: 'ServiceFabric',
                message:
                  'IDENTITY_SERVER_THUMBPRINT is not a SHA-1 thumbprint (40 hex digits). It must name the certificate the Service Fabric endpoint serves.',
              }),
            )
          : E.right({
              _tag: 'ServiceFabric' as const,
              endpoint,
              identityHeader: identityHeader.right,
              thumbprint,
            })
      }),
    ),
  plan: (source, request) => {
    const { revokedToken } = request
    if (request.claims === undefined || revokedToken === undefined)
      return exchange(source, request, undefined)
    return digest(revokedToken, (hex) =>
      hex === undefined
        ? note({ event: 'revocation-skipped', source: 'ServiceFabric', reason: 'no sha256 capability' }, () =>
            exchange(source, request, undefined),
          )
        : exchange(source, request, hex),
    )
  },
  secrets: (source) => [source.identityHeader],
}
