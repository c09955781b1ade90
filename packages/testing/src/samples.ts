/**
 * One literal, working snapshot per source, with the files their plans read: fixtures for
 * example tests and for properties that vary the replies rather than the environment. The
 * endpoints are never dialled (port 1 refuses), so they are safe for a fake world only.
 *
 * @since 0.1.0
 */
import type { Environment, SourceName } from '@azmi/core'

/** Where the Arc sample's challenge points: inside the agent's Linux key directory. */
export const SAMPLE_ARC_KEY_PATH = '/var/opt/azcmagent/tokens/k.key'

/** A snapshot per source that selects it for the system-assigned identity. */
export const SAMPLE_ENVIRONMENTS: Readonly<Record<SourceName, Environment>> = {
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
}

/** The files the samples' plans read: the Arc key at {@link SAMPLE_ARC_KEY_PATH} and the federated token. */
export const SAMPLE_FILES: Readonly<Record<string, string>> = {
  [SAMPLE_ARC_KEY_PATH]: 'arc-key-contents',
  '/var/run/token': 'federated-token',
}
