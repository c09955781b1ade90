/**
 * A differential test against the incumbent: `@azure/identity`'s ManagedIdentityCredential
 * and azmi's, given the same environment and the same identity option, against the same
 * emulator. Their token requests must agree on method, path, query parameters and identity
 * headers. Every difference found is listed in {@link DIFFERENCES} with its reason, and the
 * test fails when one appears that is not listed or one listed no longer appears.
 *
 * The incumbent runs in a fresh process per case with exactly the case's environment (it
 * takes no `env` option, and MSAL keeps the source it built in static fields): see
 * `support/incumbent.ts`.
 */
import type { RecordedRequest } from '@azmi/emulator'
import { ManagedIdentityCredential } from '@azmi/node-io'
import { emulatorPerFile, identityOption, requestsTo } from '@azmi/test-support'
import { describe, expect, test } from 'vitest'
import { runIncumbent } from './support/incumbent.js'

const SCOPE = 'https://vault.azure.net/.default'

type Environment = 'AppService' | 'Imds'

/** The headers each side sends that the other does not, with what they send and why. */
interface HeaderDifference {
  /** azmi's value, or a regular expression for it (a fresh GUID). */
  readonly azmi: string | RegExp | undefined
  /** A regular expression for the incumbent's value (some carry versions or fresh GUIDs). */
  readonly incumbent: RegExp | undefined
  readonly reason: string
}

/** What the Azure SDK's HTTP pipeline adds to every request of the incumbent's; azmi adds none. */
const PIPELINE_HEADERS: Readonly<Record<string, HeaderDifference>> = {
  'user-agent': {
    azmi: undefined,
    incumbent: /^azsdk-js-identity\/4\.13\.1 core-rest-pipeline\/[\d.]+ Node\//,
    reason: "Azure SDK telemetry from core-rest-pipeline's user-agent policy; node:http sends none.",
  },
  'x-ms-client-request-id': {
    azmi: /^[0-9a-f-]{36}$/,
    incumbent: /^[0-9a-f-]{36}$/,
    reason:
      "Both send one (docs/protocol.md §1.5): a fresh GUID per request, for correlation in Azure's logs.",
  },
  'content-type': {
    azmi: undefined,
    incumbent: /^application\/x-www-form-urlencoded;charset=utf-8$/,
    reason:
      "MSAL's network client labels every request as a form, even a GET with no body; azmi sends no body.",
  },
  'accept-encoding': {
    azmi: undefined,
    incumbent: /^gzip,deflate$/,
    reason: 'core-rest-pipeline offers compressed replies; azmi reads the small JSON reply as it is.',
  },
}

const DIFFERENCES: Readonly<Record<Environment, Readonly<Record<string, HeaderDifference>>>> = {
  AppService: {
    metadata: {
      azmi: 'true',
      incumbent: undefined,
      reason:
        'docs/protocol.md §2.2: azmi sends Metadata: true to App Service as the Python reference does; MSAL Node sends only X-IDENTITY-HEADER. App Service accepts either.',
    },
    ...PIPELINE_HEADERS,
  },
  Imds: {
    'x-client-sku': {
      azmi: undefined,
      incumbent: /^msal\.js\.node$/,
      reason: 'MSAL telemetry: the library name (IMDS requests only).',
    },
    'x-client-ver': {
      azmi: undefined,
      incumbent: /^\d+\.\d+\.\d+$/,
      reason: 'MSAL telemetry: the library version (IMDS requests only).',
    },
    ...PIPELINE_HEADERS,
  },
}

/**
 * The path differs through a pod-identity host only: MSAL Node canonicalises the URL it builds
 * from `AZURE_POD_IDENTITY_AUTHORITY_HOST` with a trailing slash (its default IMDS URL has
 * none). Pod identity's NMI serves both forms, and so does the emulator.
 */
const PATH_SUFFIX: Readonly<Record<Environment, string>> = { AppService: '', Imds: '/' }

const emulator = emulatorPerFile()

/** The one request this step sent; fails the test when it sent none or several. */
const takeOnlyRequest = (environment: Environment): RecordedRequest => {
  const requests = requestsTo(emulator(), environment)
  emulator().clearRequests()
  expect(requests).toHaveLength(1)
  return requests[0] as RecordedRequest
}

/** The headers both sent must carry the same values; those only one sent must be the listed differences. */
const expectHeadersAgree = (environment: Environment, azmi: RecordedRequest, incumbent: RecordedRequest) => {
  const differences = DIFFERENCES[environment]
  const names = new Set([...Object.keys(azmi.headers), ...Object.keys(incumbent.headers)])
  const unlisted = [...names].filter(
    (name) => azmi.headers[name] !== incumbent.headers[name] && !(name in differences),
  )
  expect(unlisted, 'headers that differ without a listed reason').toEqual([])
  for (const [name, difference] of Object.entries(differences)) {
    if (difference.azmi instanceof RegExp)
      expect(azmi.headers[name], `azmi's ${name}`).toMatch(difference.azmi)
    else expect(azmi.headers[name], `azmi's ${name}`).toBe(difference.azmi)
    if (difference.incumbent === undefined)
      expect(incumbent.headers[name], `incumbent's ${name}`).toBeUndefined()
    else expect(incumbent.headers[name], `incumbent's ${name}`).toMatch(difference.incumbent)
  }
}

const cases = (['AppService', 'Imds'] as const).flatMap((environment) =>
  (['system', 'clientId', 'objectId', 'resourceId'] as const).map((kind) => ({ environment, kind })),
)

describe('azmi and @azure/identity send the same token request', () => {
  test.each(cases)('$environment, $kind', async ({ environment, kind }) => {
    const env = emulator().env(environment)
    const options = identityOption(kind, emulator().identities.user)

    await new ManagedIdentityCredential({ env, ...options }).getToken(SCOPE)
    const azmi = takeOnlyRequest(environment)
    const incumbentOutcome = await runIncumbent({ env, scope: SCOPE, options })
    const incumbent = takeOnlyRequest(environment)

    expect(incumbentOutcome).toMatchObject({ outcome: 'token', from: 'managedIdentity' })
    expect(incumbent.method).toBe(azmi.method)
    expect(incumbent.path).toBe(`${azmi.path}${PATH_SUFFIX[environment]}`)
    // api-version, resource and the identity parameter, names and values alike.
    expect(incumbent.query).toEqual(azmi.query)
    expectHeadersAgree(environment, azmi, incumbent)
  })

  test('with the probe a chain wants switched on, neither probes IMDS behind a pod-identity host', async () => {
    const env = emulator().env('Imds')

    await new ManagedIdentityCredential({ env, probe: true }).getToken(SCOPE)
    const azmi = takeOnlyRequest('Imds')
    await runIncumbent({ env, scope: SCOPE, options: { sendProbeRequest: true } })
    const incumbent = takeOnlyRequest('Imds')

    // One request each, and it is the token request (a probe would lack Metadata: true).
    expect(azmi.headers.metadata).toBe('true')
    expect(incumbent.headers.metadata).toBe('true')
  })
})
