/** fast-check generators for environments, identities and secrets. */
import fc from 'fast-check'
import { type Environment, Variables } from '../src/index.js'

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
