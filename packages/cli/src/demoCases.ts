/**
 * The demo's rows: each hosting environment with each kind of identity it takes, and the
 * 2026 rules shown on the wire — Arc with a user-assigned identity, Arc found by its agent's
 * file, workload identity through the AKS token proxy, a Service Fabric claims call that
 * asks for the cached token's revocation.
 */
import type { IdentityOptions, SourceName } from '@azmi/core'
import type { Emulator } from '@azmi/emulator'
import type { NodeCredentialOptions } from '@azmi/node-io'

/** One row of the demo. */
export interface DemoCase {
  readonly source: SourceName
  readonly identity: 'system' | 'clientId' | 'objectId' | 'resourceId'
  /** What the row shows beyond a plain token request. */
  readonly how?: 'agent file' | 'token proxy' | 'claims: revoke cached'
}

export const CASES: ReadonlyArray<DemoCase> = [
  { source: 'ServiceFabric', identity: 'system' },
  { source: 'ServiceFabric', identity: 'system', how: 'claims: revoke cached' },
  { source: 'AppService', identity: 'system' },
  { source: 'AppService', identity: 'clientId' },
  { source: 'AzureArc', identity: 'system' },
  { source: 'AzureArc', identity: 'clientId' },
  { source: 'AzureArc', identity: 'system', how: 'agent file' },
  { source: 'AzureML', identity: 'system' },
  { source: 'AzureML', identity: 'objectId' },
  { source: 'CloudShell', identity: 'system' },
  { source: 'WorkloadIdentity', identity: 'clientId' },
  { source: 'WorkloadIdentity', identity: 'clientId', how: 'token proxy' },
  { source: 'Imds', identity: 'system' },
  { source: 'Imds', identity: 'resourceId' },
]

const identityOptions = (emulator: Emulator, kind: DemoCase['identity']): IdentityOptions => {
  const { user } = emulator.identities
  if (kind === 'clientId') return { clientId: user.clientId }
  if (kind === 'objectId') return { objectId: user.objectId }
  if (kind === 'resourceId') return { resourceId: user.resourceId }
  return {}
}

/**
 * The credential options of a row. Arc's agent row has no variables at all: the credential
 * finds the agent by its file, here a host fact the demo states (`platform`), as node-io would
 * find `/opt/azcmagent/bin/himds` on an Arc server, and the emulator listens on the agent's port.
 */
export const credentialOptions = (emulator: Emulator, row: DemoCase): NodeCredentialOptions => {
  const base = { ...identityOptions(emulator, row.identity), ca: emulator.caCertificatePem }
  if (row.how === 'agent file')
    return { ...base, env: {}, platform: { os: 'linux', arcAgentInstalled: true } }
  if (row.how === 'token proxy')
    return { ...base, env: emulator.env('WorkloadIdentity', { tokenProxy: true }) }
  return { ...base, env: emulator.env(row.source) }
}
