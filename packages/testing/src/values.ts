/**
 * The small values the other arbitraries are built from: secrets, endpoint URLs, ids, file
 * paths and JWT-shaped tokens, each drawn from the forms the hosting environments really use
 * (docs/protocol.md §1.1).
 *
 * @since 0.1.0
 */
import * as fc from 'fast-check'

/**
 * A realistic secret (`IDENTITY_HEADER`, `MSI_SECRET`, a key file's contents): 16 to 40
 * characters of `A-Z a-z 0-9 + / _ -`, long enough that finding one by chance in fixed text
 * is impossible, so "this output does not contain the secret" is a meaningful assertion.
 */
export const secretValue: fc.Arbitrary<string> = fc.stringMatching(/^[A-Za-z0-9+/_-]{16,40}$/)

/** Options of {@link endpointUrl}. */
export interface EndpointUrlOptions {
  /** The schemes to draw from. Default: `http:` and `https:`. */
  readonly schemes?: ReadonlyArray<'http' | 'https'>
}

const host = fc.oneof(
  fc.constantFrom('127.0.0.1', 'localhost', '169.254.169.254', '[::1]', 'sf.cluster.test', 'login.test'),
  fc.domain(),
)
const port = fc.option(fc.integer({ min: 1, max: 65_535 }), { nil: undefined })
const pathSegments = fc.array(fc.stringMatching(/^[a-z0-9_-]{1,12}$/), { maxLength: 4 })

/**
 * An absolute endpoint URL of the form the core accepts (docs/protocol.md §1.2): `http:` or
 * `https:`, no user information, no query, no fragment; loopback, link-local, IPv6 or a domain.
 */
export const endpointUrl = (options: EndpointUrlOptions = {}): fc.Arbitrary<string> =>
  fc
    .record({
      scheme: fc.constantFrom(...(options.schemes ?? ['http', 'https'])),
      host,
      port,
      path: pathSegments,
    })
    .map(
      ({ scheme, host, port, path }) =>
        `${scheme}://${host}${port === undefined ? '' : `:${port}`}/${path.join('/')}`,
    )

/** A client id or object id: a lower-case UUID, as Azure prints them. */
export const identityId: fc.Arbitrary<string> = fc.uuid()

/** An Azure resource id of a user-assigned identity, with drawn subscription, group and name. */
export const userAssignedResourceId: fc.Arbitrary<string> = fc
  .record({
    subscription: fc.uuid(),
    group: fc.stringMatching(/^[A-Za-z0-9_-]{1,20}$/),
    name: fc.stringMatching(/^[A-Za-z0-9_-]{3,24}$/),
  })
  .map(
    ({ subscription, group, name }) =>
      `/subscriptions/${subscription}/resourceGroups/${group}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/${name}`,
  )

/** A tenant id: a UUID or a verified domain name (`contoso.onmicrosoft.com`). */
export const tenantId: fc.Arbitrary<string> = fc.oneof(
  fc.uuid(),
  fc.stringMatching(/^[a-z0-9-]{1,20}$/).map((name) => `${name}.onmicrosoft.com`),
)

/** An absolute POSIX file path, such as a projected service-account token's. */
export const filePath: fc.Arbitrary<string> = fc.oneof(
  fc.constant('/var/run/secrets/azure/tokens/azure-identity-token'),
  fc
    .array(fc.stringMatching(/^[a-z0-9_.-]{1,12}$/), { minLength: 1, maxLength: 5 })
    .map(
      (segments) =>
        `/${segments.filter((segment) => segment !== '.' && segment !== '..').join('/') || 'token'}`,
    ),
)

/** Forty hexadecimal digits, in either case: a certificate's SHA-1 thumbprint. */
export const thumbprint: fc.Arbitrary<string> = fc.stringMatching(/^[0-9A-Fa-f]{40}$/)

const base64Url = (min: number, max: number) =>
  fc.stringMatching(new RegExp(`^[A-Za-z0-9_-]{${min},${max}}$`))

/**
 * A JWT-shaped access token: `eyJ…` header, payload and signature in base64url, as every
 * managed-identity endpoint issues. A secret: anything that logs it has a bug.
 */
export const jwtLike: fc.Arbitrary<string> = fc
  .tuple(base64Url(8, 40), base64Url(20, 200), base64Url(20, 86))
  .map(([header, payload, signature]) => `eyJ${header}.eyJ${payload}.${signature}`)
