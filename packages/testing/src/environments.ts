/**
 * fast-check arbitraries for environment snapshots (docs/protocol.md §1.1, §1.2): any
 * snapshot at all, one that selects a given source, and the near misses one step away from
 * selecting it.
 *
 * A snapshot for a source carries that source's variables with realistic values, plus the
 * noise a real host has: lower-precedence sources' variables (which cannot change the
 * choice), higher-precedence variables that are set on their own or to `""` (which select
 * nothing), so a property over them exercises precedence, not just the happy path.
 *
 * @since 0.1.0
 */
import { type Environment, SOURCE_NAMES, type SourceName, Variables } from '@azmi/core'
import * as fc from 'fast-check'
import { endpointUrl, filePath, identityId, secretValue, tenantId, thumbprint } from './values.js'

// -------------------------------------------------------------------------------------
// any environment
// -------------------------------------------------------------------------------------

/** Every variable the core reads, as `@azmi/core`'s `Variables` lists them. */
export const VARIABLE_NAMES: ReadonlyArray<string> = Object.keys(Variables)

/** Any value a variable may hold: unset, `""`, an endpoint, any URL, any text, or a secret. */
export const variableValue: fc.Arbitrary<string | undefined> = fc.oneof(
  fc.constant(undefined),
  fc.constant(''),
  endpointUrl(),
  fc.webUrl(),
  fc.string(),
  secretValue,
)

/**
 * Any snapshot of the variables the core reads: each one absent, `""`, a URL, junk or a
 * secret. Most select Imds or nothing; use it for properties that must hold everywhere
 * ("selection never throws", "no value is ever shown by `explainSelection`").
 */
export const anyEnvironment: fc.Arbitrary<Environment> = fc.record(
  Object.fromEntries(VARIABLE_NAMES.map((name) => [name, variableValue])),
  { requiredKeys: [] },
)

// -------------------------------------------------------------------------------------
// one environment per source
// -------------------------------------------------------------------------------------

const anyEndpoint = endpointUrl()
const httpsEndpoint = endpointUrl({ schemes: ['https'] })
/** Absent or `""`: both count as unset (docs/protocol.md §1.1). */
const unset = fc.constantFrom(undefined, '')

/** The variables that make each source match, with realistic values. */
const matching: Readonly<Record<SourceName, fc.Arbitrary<Environment>>> = {
  ServiceFabric: fc.record({
    IDENTITY_ENDPOINT: httpsEndpoint,
    IDENTITY_HEADER: secretValue,
    IDENTITY_SERVER_THUMBPRINT: thumbprint,
  }),
  AppService: fc.record({ IDENTITY_ENDPOINT: anyEndpoint, IDENTITY_HEADER: secretValue }),
  AzureArc: fc.record({ IDENTITY_ENDPOINT: anyEndpoint, IMDS_ENDPOINT: anyEndpoint }),
  AzureML: fc.record(
    { MSI_ENDPOINT: anyEndpoint, MSI_SECRET: secretValue, DEFAULT_IDENTITY_CLIENT_ID: identityId },
    { requiredKeys: ['MSI_ENDPOINT', 'MSI_SECRET'] },
  ),
  CloudShell: fc.record({ MSI_ENDPOINT: anyEndpoint }),
  WorkloadIdentity: fc.record({
    AZURE_AUTHORITY_HOST: httpsEndpoint,
    AZURE_TENANT_ID: tenantId,
    AZURE_FEDERATED_TOKEN_FILE: filePath,
    AZURE_CLIENT_ID: identityId,
  }),
  Imds: fc.record({ AZURE_POD_IDENTITY_AUTHORITY_HOST: anyEndpoint }, { requiredKeys: [] }),
}

/** The variables each source needs set; blanking any one of them stops it matching. */
export const REQUIRED_VARIABLES: Readonly<Record<SourceName, ReadonlyArray<string>>> = {
  ServiceFabric: ['IDENTITY_ENDPOINT', 'IDENTITY_HEADER', 'IDENTITY_SERVER_THUMBPRINT'],
  AppService: ['IDENTITY_ENDPOINT', 'IDENTITY_HEADER'],
  AzureArc: ['IDENTITY_ENDPOINT', 'IMDS_ENDPOINT'],
  AzureML: ['MSI_ENDPOINT', 'MSI_SECRET'],
  CloudShell: ['MSI_ENDPOINT'],
  WorkloadIdentity: ['AZURE_AUTHORITY_HOST', 'AZURE_TENANT_ID', 'AZURE_FEDERATED_TOKEN_FILE'],
  Imds: [],
}

/**
 * Variables that must be unset for the source to win, and the higher-precedence variables
 * that may still be set because, on their own, they select nothing (docs/protocol.md §1.2:
 * `IDENTITY_HEADER`, `MSI_SECRET` or `IMDS_ENDPOINT` alone fall through).
 */
const higherButInert: Readonly<Record<SourceName, fc.Arbitrary<Environment>>> = (() => {
  const afterRuleOne = fc.record(
    { IDENTITY_ENDPOINT: unset, IDENTITY_HEADER: secretValue, IMDS_ENDPOINT: anyEndpoint },
    { requiredKeys: ['IDENTITY_ENDPOINT'] },
  )
  const twoOfThreeWorkload = fc
    .record({
      AZURE_AUTHORITY_HOST: httpsEndpoint,
      AZURE_TENANT_ID: tenantId,
      AZURE_FEDERATED_TOKEN_FILE: filePath,
    })
    .chain((all) =>
      fc.constantFrom(...REQUIRED_VARIABLES.WorkloadIdentity).map((blank) => ({ ...all, [blank]: '' })),
    )
  return {
    ServiceFabric: fc.constant({}),
    AppService: fc.record({ IDENTITY_SERVER_THUMBPRINT: unset }),
    AzureArc: fc.record(
      { IDENTITY_HEADER: unset, IDENTITY_SERVER_THUMBPRINT: thumbprint },
      { requiredKeys: ['IDENTITY_HEADER'] },
    ),
    AzureML: afterRuleOne,
    CloudShell: fc.tuple(afterRuleOne, fc.record({ MSI_SECRET: unset })).map(([a, b]) => ({ ...a, ...b })),
    WorkloadIdentity: fc
      .tuple(
        afterRuleOne,
        fc.record({ MSI_ENDPOINT: unset, MSI_SECRET: secretValue }, { requiredKeys: ['MSI_ENDPOINT'] }),
      )
      .map(([a, b]) => ({ ...a, ...b })),
    Imds: fc
      .tuple(
        afterRuleOne,
        fc.record({ MSI_ENDPOINT: unset, MSI_SECRET: secretValue }, { requiredKeys: ['MSI_ENDPOINT'] }),
        fc.option(twoOfThreeWorkload, { nil: {} }),
      )
      .map(([a, b, c]) => ({ ...a, ...b, ...c })),
  }
})()

/** Some of the lower-precedence sources' variables: noise that cannot change the choice. */
const lowerNoise = (source: SourceName): fc.Arbitrary<Environment> => {
  const lower = SOURCE_NAMES.slice(SOURCE_NAMES.indexOf(source) + 1)
  return fc
    .subarray([...lower])
    .chain((chosen) => fc.tuple(...chosen.map((name) => matching[name])))
    .map((parts) => Object.assign({}, ...parts) as Environment)
}

/** Drop the keys whose value is `undefined`, so a snapshot reads like a copied `process.env`. */
const withoutUndefined = (env: Environment): Environment =>
  Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined))

/**
 * A snapshot that selects `source` for the system-assigned identity, with realistic values:
 * the source's own variables, lower-precedence sources' variables as noise, and
 * higher-precedence variables that are `""` or set on their own (so they select nothing).
 * `selectSource(env)` is `Right` with `_tag === source` for every value.
 */
export const environmentFor = (source: SourceName): fc.Arbitrary<Environment> =>
  fc
    .tuple(lowerNoise(source), higherButInert[source], matching[source])
    .map(([noise, inert, own]) => withoutUndefined({ ...noise, ...inert, ...own }))

/** Any source's name, in `@azmi/core`'s precedence order. */
export const sourceName: fc.Arbitrary<SourceName> = fc.constantFrom(...SOURCE_NAMES)

/** A source, and a snapshot that selects it. */
export interface SourceEnvironment {
  /** The source `env` selects. */
  readonly source: SourceName
  /** The snapshot. */
  readonly env: Environment
}

/** A source and a snapshot that selects it: `{ source, env }`. */
export const sourceEnvironment: fc.Arbitrary<SourceEnvironment> = sourceName.chain((source) =>
  environmentFor(source).map((env) => ({ source, env })),
)

// -------------------------------------------------------------------------------------
// near misses
// -------------------------------------------------------------------------------------

/** One of the source's required variables set to `""` or removed. */
const oneBlanked = (source: SourceName): fc.Arbitrary<Environment> =>
  fc
    .tuple(environmentFor(source), fc.constantFrom(...REQUIRED_VARIABLES[source]), fc.boolean())
    .map(([env, blank, empty]) => {
      const { [blank]: _dropped, ...rest } = env
      return empty ? { ...rest, [blank]: '' } : rest
    })

/**
 * `IDENTITY_ENDPOINT` set without the companions that give it meaning: selection stops there
 * with no source (docs/protocol.md §1.2 rule 1.4), whatever later sources' variables say.
 */
const endpointHalfSet = (source: SourceName): fc.Arbitrary<Environment> =>
  fc
    .tuple(environmentFor(source), anyEndpoint, unset, unset)
    .map(([env, endpoint, header, imds]) =>
      withoutUndefined({ ...env, IDENTITY_ENDPOINT: endpoint, IDENTITY_HEADER: header, IMDS_ENDPOINT: imds }),
    )

/** Sources that come after rule 1, which a half-set `IDENTITY_ENDPOINT` shadows. */
const AFTER_RULE_ONE: ReadonlySet<SourceName> = new Set(['AzureML', 'CloudShell', 'WorkloadIdentity', 'Imds'])

/**
 * Snapshots one step away from selecting `source`, which do NOT select it: one of its
 * required variables `""` or missing, or (for the sources after rule 1) a higher-precedence
 * `IDENTITY_ENDPOINT` set without its companions, which stops selection with no source. What
 * they select instead, if anything, is `selectSource`'s to say.
 */
export const nearMissEnvironment = (source: SourceName): fc.Arbitrary<Environment> => {
  const misses: Array<fc.Arbitrary<Environment>> = []
  if (REQUIRED_VARIABLES[source].length > 0) misses.push(oneBlanked(source))
  if (AFTER_RULE_ONE.has(source)) misses.push(endpointHalfSet(source))
  return fc.oneof(...misses)
}

// -------------------------------------------------------------------------------------
// secrets and samples
// -------------------------------------------------------------------------------------

/** The variables whose values are secrets (docs/protocol.md §1.1). */
export const SECRET_VARIABLES: ReadonlyArray<string> = ['IDENTITY_HEADER', 'MSI_SECRET']

/**
 * The secret values a snapshot holds, each as set and trimmed (shells send them trimmed):
 * what must never appear in a URL, an error, a log line or a span. Values shorter than 4
 * characters are left out, as the core's redaction leaves them (docs/protocol.md §1.5).
 */
export const environmentSecrets = (env: Environment): ReadonlyArray<string> =>
  SECRET_VARIABLES.flatMap((name) => {
    const value = env[name]
    return value === undefined ? [] : [value, value.trim()].filter((text) => text.trim().length >= 4)
  })
