/**
 * The environments that point a credential at the emulator (or, on purpose, at nothing), and
 * which of them each shell can get a token from here.
 */
import { SOURCE_NAMES } from '@azmi/core'
import type { Emulator, EnvironmentName } from '@azmi/emulator'
import { isLinuxRoot } from '@azmi/test-support'
import type { Shell } from './shells.js'

/** The variables holding each source's endpoints. */
export const ENDPOINT_VARIABLES: Readonly<Record<EnvironmentName, ReadonlyArray<string>>> = {
  ServiceFabric: ['IDENTITY_ENDPOINT'],
  AppService: ['IDENTITY_ENDPOINT'],
  AzureArc: ['IDENTITY_ENDPOINT', 'IMDS_ENDPOINT'],
  AzureML: ['MSI_ENDPOINT'],
  CloudShell: ['MSI_ENDPOINT'],
  WorkloadIdentity: ['AZURE_AUTHORITY_HOST'],
  Imds: ['AZURE_POD_IDENTITY_AUTHORITY_HOST'],
}

/** Every source's endpoint variables, on each of `shells`. */
export const endpointVariableCases = (shells: ReadonlyArray<Shell>) =>
  shells.flatMap((shell) =>
    (Object.keys(ENDPOINT_VARIABLES) as EnvironmentName[]).flatMap((source) =>
      (ENDPOINT_VARIABLES[source] ?? []).map((variable) => ({ shell, source, variable })),
    ),
  )

/** The scope the reliability cases ask for. */
export const SCOPE = 'https://vault.azure.net/.default'

/**
 * The sources a shell can get a token from here. fetch-io cannot pin Service Fabric's
 * certificate, so it refuses that source outright (a case of its own). Azure Arc needs its key
 * file in `/var/opt/azcmagent/tokens`, which the emulator can write only as root on Linux;
 * elsewhere the Arc flow cannot succeed, so its fault cases are left out.
 */
export const sourcesOf = (shell: Shell): ReadonlyArray<EnvironmentName> =>
  SOURCE_NAMES.filter(
    (source) => (shell === 'node-io' || source !== 'ServiceFabric') && (isLinuxRoot || source !== 'AzureArc'),
  )

/** Every (shell, source) pair a fault can be tried on. */
export const shellSourcePairs = (shells: ReadonlyArray<Shell>) =>
  shells.flatMap((shell) => sourcesOf(shell).map((source) => ({ shell, source })))

/** The variables of `source`, plus the CA workload identity's https endpoint needs. */
export const credentialTarget = (emulator: Emulator, source: EnvironmentName) => ({
  env: emulator.env(source),
  ...(source === 'WorkloadIdentity' ? { ca: emulator.caCertificatePem } : {}),
})

/** `env` with every loopback URL moved to `port`, where nothing listens. */
export const withPort = (env: Record<string, string>, port: number): Record<string, string> =>
  Object.fromEntries(
    Object.entries(env).map(([name, value]) => {
      if (!/^https?:\/\/127\.0\.0\.1:\d+/.test(value)) return [name, value]
      const url = new URL(value)
      url.port = String(port)
      return [name, url.toString().replace(/\/$/, value.endsWith('/') ? '/' : '')]
    }),
  )
