/** fast-check generators for environments, identities and secrets. */
import fc from 'fast-check'
import { type Either, left, right } from 'fp-ts/lib/Either.js'
import {
  type Environment,
  type HttpResponse,
  type TransportFailure,
  type TransportFailureKind,
  transportFailure,
  Variables,
} from '../src/index.js'

const variableNames = Object.keys(Variables) as Array<keyof typeof Variables>

/** Realistic secrets: long enough that finding one by chance in fixed text is impossible. */
export const secretValue = fc.stringMatching(/^[A-Za-z0-9+/_-]{16,40}$/)

export const endpointValue = fc.oneof(
  fc.constantFrom(
    'http://127.0.0.1:40342/metadata/identity/oauth2/token',
    'https://sf.local:2377/msi',
    'http://localhost:8081/msi/token',
  ),
  fc.webUrl(),
)

/** Any value a variable may hold: unset, empty, a URL, or junk. */
const variableValue = fc.oneof(
  fc.constant(undefined),
  fc.constant(''),
  endpointValue,
  fc.string(),
  secretValue,
)

export const environment: fc.Arbitrary<Environment> = fc.record(
  Object.fromEntries(variableNames.map((name) => [name, variableValue])) as Record<
    string,
    fc.Arbitrary<string | undefined>
  >,
  { requiredKeys: [] },
)

export const identityOptions = fc.oneof(
  fc.constant({}),
  fc.record({ clientId: fc.uuid() }),
  fc.record({ objectId: fc.uuid() }),
  fc.record({
    resourceId: fc.constant(
      '/subscriptions/0000/resourceGroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id',
    ),
  }),
)

/** One working environment per source, with the files its plan reads. */
export const SOURCE_ENVIRONMENTS = {
  ServiceFabric: {
    IDENTITY_ENDPOINT: 'https://127.0.0.1:2377/sf',
    IDENTITY_HEADER: 'sf-identity-header',
    IDENTITY_SERVER_THUMBPRINT: 'A'.repeat(40),
  },
  AppService: { IDENTITY_ENDPOINT: 'http://127.0.0.1:1/as', IDENTITY_HEADER: 'as-identity-header' },
  AzureArc: { IDENTITY_ENDPOINT: 'http://127.0.0.1:1/arc', IMDS_ENDPOINT: 'http://127.0.0.1:1' },
  AzureML: { MSI_ENDPOINT: 'http://127.0.0.1:1/ml', MSI_SECRET: 'ml-secret-value' },
  CloudShell: { MSI_ENDPOINT: 'http://127.0.0.1:1/cs' },
  WorkloadIdentity: {
    AZURE_AUTHORITY_HOST: 'https://127.0.0.1:1',
    AZURE_TENANT_ID: 'tenant',
    AZURE_FEDERATED_TOKEN_FILE: '/var/run/token',
    AZURE_CLIENT_ID: 'client',
  },
  Imds: {},
} as const satisfies Readonly<Record<string, Environment>>

export const ARC_KEY_PATH = '/var/opt/azcmagent/tokens/k.key'
export const SOURCE_FILES = { [ARC_KEY_PATH]: 'arc-key-contents', '/var/run/token': 'federated-token' }

/** What an endpoint may answer to one request: any status, odd bodies and headers, or a transport failure. */
export const replyArbitrary: fc.Arbitrary<Either<TransportFailure, HttpResponse>> = fc.oneof(
  fc
    .record({
      status: fc.oneof(
        fc.constantFrom(200, 400, 401, 404, 408, 410, 429, 500, 503),
        fc.integer({ min: 100, max: 599 }),
      ),
      body: fc.oneof(
        fc.constant('{"access_token":"at","expires_in":3600}'),
        fc.constant('{"error":"e","error_description":"d"}'),
        fc.string(),
      ),
      retryAfter: fc.option(fc.oneof(fc.constantFrom('0', '1', '5', '120'), fc.string()), { nil: undefined }),
      challenge: fc.boolean(),
    })
    .map(({ status, body, retryAfter, challenge }) =>
      right({
        status,
        headers: {
          ...(retryAfter !== undefined && { 'retry-after': retryAfter }),
          ...(challenge && { 'www-authenticate': `Basic realm=${ARC_KEY_PATH}` }),
        },
        body,
      }),
    ),
  fc
    .constantFrom('connect', 'reset', 'timeout', 'tls', 'other', 'response-too-large', 'certificate-mismatch')
    .map((kind) => left(transportFailure(kind as TransportFailureKind, `failed: ${kind}`))),
)
