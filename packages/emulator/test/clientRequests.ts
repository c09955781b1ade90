/**
 * How a correct client asks an environment for a token: for the query-string environments
 * the URL it builds from the variables the emulator gives it and the headers it sends; for
 * workload identity the form it posts. The environment tests start from these and change one
 * thing at a time.
 */
import { readFileSync } from 'node:fs'
import type { Emulator } from '../src/index.js'
import { send, type TestReply, type TestRequest } from './httpClient.js'

/** The environments that take their parameters in the query and answer in one leg. */
export type QueryEnvironment = 'Imds' | 'AppService' | 'AzureML' | 'ServiceFabric'

type Variables = Readonly<Record<string, string | undefined>>

const tokenEndpoints: Readonly<Record<QueryEnvironment, (env: Variables) => TestRequest>> = {
  Imds: (env) => ({
    url: `${env.AZURE_POD_IDENTITY_AUTHORITY_HOST}/metadata/identity/oauth2/token`,
    headers: { Metadata: 'true' },
  }),
  AppService: (env) => ({
    url: env.IDENTITY_ENDPOINT ?? '',
    headers: { 'X-IDENTITY-HEADER': env.IDENTITY_HEADER ?? '' },
  }),
  AzureML: (env) => ({ url: env.MSI_ENDPOINT ?? '', headers: { secret: env.MSI_SECRET ?? '' } }),
  ServiceFabric: (env) => ({
    url: env.IDENTITY_ENDPOINT ?? '',
    headers: { Secret: env.IDENTITY_HEADER ?? '' },
    // The certificate is self-signed: tests check its thumbprint instead, as a pinning client does.
    insecure: true,
  }),
}

/** The token request of a correct client in `environment`, with `query` (no `?`). */
export const tokenRequest = (
  emulator: Emulator,
  environment: QueryEnvironment,
  query: string,
): TestRequest => {
  const endpoint = tokenEndpoints[environment](emulator.env(environment))
  return { ...endpoint, url: `${endpoint.url}?${query}` }
}

/** Sends a token request with a query string; `headers`, when given, replace the client's own. */
export type TokenClient = (query: string, headers?: Readonly<Record<string, string>>) => Promise<TestReply>

/** A client in `environment` that sends {@link tokenRequest}s to `emulator`. */
export const tokenClient =
  (emulator: Emulator, environment: QueryEnvironment): TokenClient =>
  (query, headers) => {
    const request = tokenRequest(emulator, environment, query)
    return send(headers === undefined ? request : { ...request, headers })
  }

/** The form fields a correct workload-identity client posts, from the variables it was given. */
export const workloadIdentityForm = (emulator: Emulator): Record<string, string> => {
  const env = emulator.env('WorkloadIdentity')
  return {
    client_assertion: readFileSync(env.AZURE_FEDERATED_TOKEN_FILE ?? '', 'utf8'),
    client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
    client_id: env.AZURE_CLIENT_ID ?? '',
    grant_type: 'client_credentials',
    scope: 'https://storage.azure.com/.default',
  }
}
