/**
 * Properties over every source and every kind of failure: secrets never reach a URL, an
 * error or a log event, and every request is plain data that survives a JSON round trip.
 */

import fc from 'fast-check'
import * as E from 'fp-ts/lib/Either.js'
import { expect, test } from 'vitest'
import { fakeCapabilities } from '../../testing/src/index.js'
import {
  createManagedIdentityClient,
  type Environment,
  type HttpRequest,
  transportFailure,
} from '../src/index.js'
import { secretValue } from './arbitraries.js'
import { fakeWorld, json, type Reply } from './fakes.js'

const KEY_PATH = '/var/opt/azcmagent/tokens/k.key'
const TOKEN_FILE = '/var/run/token'

const environmentWith = (name: string, secret: string): Environment =>
  ({
    ServiceFabric: {
      IDENTITY_ENDPOINT: 'https://127.0.0.1:1/sf',
      IDENTITY_HEADER: secret,
      IDENTITY_SERVER_THUMBPRINT: 'A'.repeat(40),
    },
    AppService: { IDENTITY_ENDPOINT: 'http://127.0.0.1:1/as', IDENTITY_HEADER: secret },
    AzureArc: { IDENTITY_ENDPOINT: 'http://127.0.0.1:1/arc', IMDS_ENDPOINT: 'http://127.0.0.1:1' },
    AzureML: { MSI_ENDPOINT: 'http://127.0.0.1:1/ml', MSI_SECRET: secret },
    CloudShell: { MSI_ENDPOINT: 'http://127.0.0.1:1/cs' },
    WorkloadIdentity: {
      AZURE_AUTHORITY_HOST: 'https://127.0.0.1:1',
      AZURE_TENANT_ID: 't',
      AZURE_FEDERATED_TOKEN_FILE: TOKEN_FILE,
      AZURE_CLIENT_ID: 'c',
    },
    Imds: { AZURE_POD_IDENTITY_AUTHORITY_HOST: 'http://127.0.0.1:1' },
  })[name] ?? {}

/** A failure, possibly echoing everything the request carried back at the client. */
const failure = fc.oneof(
  fc.record({
    status: fc.integer({ min: 300, max: 599 }),
    echo: fc.boolean(),
    shape: fc.constantFrom('json', 'entra', 'text'),
  }),
  fc.constantFrom('connect', 'reset', 'timeout', 'response-too-large', 'certificate-mismatch', 'other'),
)

const echoOf = (request: HttpRequest) => `${JSON.stringify(request.headers)} ${request.body ?? ''}`

const replyFor = (
  spec: fc.Arbitrary<unknown> extends never ? never : unknown,
  request: HttpRequest,
  accessToken: string,
): Reply => {
  if (typeof spec === 'string') return transportFailure(spec as 'connect', `failed for ${echoOf(request)}`)
  const { status, echo, shape } = spec as { status: number; echo: boolean; shape: string }
  const text = echo ? echoOf(request) : 'plain failure'
  if (shape === 'entra')
    return json(status, { error: 'invalid_client', error_description: text, access_token: accessToken })
  if (shape === 'json') return json(status, { message: text, access_token: accessToken })
  return { status, headers: {}, body: `${text} access_token=${accessToken}` }
}

test('no secret ever appears in a URL, an error or a log event; requests round-trip through JSON', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.constantFrom(
        'ServiceFabric',
        'AppService',
        'AzureArc',
        'AzureML',
        'CloudShell',
        'WorkloadIdentity',
        'Imds',
      ),
      secretValue,
      secretValue,
      secretValue,
      failure,
      async (name, envSecret, fileSecret, accessToken, spec) => {
        const world = fakeWorld({
          files: { [KEY_PATH]: fileSecret, [TOKEN_FILE]: fileSecret },
          respond: (request) =>
            name === 'AzureArc' && !('Authorization' in request.headers)
              ? json(401, {}, { 'WWW-Authenticate': `Basic realm=${KEY_PATH}` })
              : replyFor(spec, request, accessToken),
        })
        const client = createManagedIdentityClient(
          { env: environmentWith(name, envSecret), retry: { maxRetries: 1 } },
          world.capabilities,
        )
        const result = await client.getToken('https://vault.azure.net/.default')
        expect(E.isLeft(result)).toBe(true)
        const visible = [
          JSON.stringify(result),
          JSON.stringify(world.events),
          ...world.sent.map((r) => r.url),
        ].join('\n')
        for (const secret of [envSecret, fileSecret]) expect(visible).not.toContain(secret)
        if (typeof spec !== 'string') expect(JSON.stringify(result)).not.toContain(accessToken)
        for (const request of world.sent) expect(JSON.parse(JSON.stringify(request))).toEqual(request)
      },
    ),
    { numRuns: 300 },
  )
})

// -------------------------------------------------------------------------------------
// tokens the credential was issued, and quotes cut in the middle of a secret
// -------------------------------------------------------------------------------------

const APP_SERVICE = { IDENTITY_ENDPOINT: 'http://127.0.0.1:1/as', IDENTITY_HEADER: 'identity-header-value' }

test('an opaque token issued for one scope and echoed in a later error for another is masked', async () => {
  const issued = 'opaque-token-issued-earlier-0123456789'
  const world = fakeCapabilities({
    endpoint: [
      json(200, { access_token: issued, expires_in: 3600 }),
      json(401, { error: 'denied', error_description: `last token ${issued}`, echo: `x${issued}y` }),
    ],
  })
  const client = createManagedIdentityClient({ env: APP_SERVICE }, world.capabilities)
  expect(E.isRight(await client.getToken('https://a.example/.default'))).toBe(true)
  const failed = await client.getToken('https://b.example/.default')
  expect(E.isLeft(failed) && failed.left.code).toBe('http_error')
  expect(JSON.stringify(failed)).not.toContain(issued)
  expect(JSON.stringify(failed)).not.toContain(issued.slice(0, 12))
})

test('a quote cut in the middle of an issued token shows none of it', async () => {
  const issued = `opaque-${'t'.repeat(60)}`
  for (const shown of [4, 11, 40, issued.length - 1]) {
    const body = `${'x'.repeat(1000 - shown)}${issued}${'z'.repeat(50)}`
    const world = fakeCapabilities({
      endpoint: [json(200, { access_token: issued, expires_in: 3600 }), { status: 500, headers: {}, body }],
    })
    const client = createManagedIdentityClient(
      { env: APP_SERVICE, retry: { maxRetries: 0 } },
      world.capabilities,
    )
    await client.getToken('https://a.example/.default')
    const failed = await client.getToken('https://b.example/.default')
    const text = JSON.stringify(failed)
    expect(text).not.toContain(issued.slice(0, shown))
    expect(text).toContain('****... (truncated)')
  }
})

test('a reply repeating the same token for a second scope still parses (issued tokens are not scrubbed from replies)', async () => {
  const world = fakeCapabilities({
    endpoint: [
      json(200, { access_token: 'same-opaque-token', expires_in: 3600 }),
      json(200, { access_token: 'same-opaque-token', expires_in: 3600 }),
    ],
  })
  const client = createManagedIdentityClient({ env: APP_SERVICE }, world.capabilities)
  await client.getToken('https://a.example/.default')
  const second = await client.getToken('https://b.example/.default')
  expect(E.isRight(second) && second.right.token).toBe('same-opaque-token')
})
