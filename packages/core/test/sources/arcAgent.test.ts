/**
 * Azure Arc found by its agent (docs/protocol.md §1.2 rule 4, §2.4): when the shell reports
 * the `himds` binary, selection picks Arc with the agent's default endpoints — after workload
 * identity, before IMDS — and `explain` names the file.
 */
import { describe, expect, test } from 'vitest'
import { arcAgentPath, explainSelection, type Platform, selectSource } from '../../src/index.js'

const LINUX_AGENT: Platform = { os: 'linux', arcAgentInstalled: true }
const WINDOWS_AGENT: Platform = { os: 'win32', programFiles: 'C:\\Program Files\\', arcAgentInstalled: true }
const WORKLOAD = {
  AZURE_AUTHORITY_HOST: 'https://login.microsoftonline.com',
  AZURE_TENANT_ID: 'tenant',
  AZURE_FEDERATED_TOKEN_FILE: '/var/run/token',
  AZURE_CLIENT_ID: 'client',
}

describe('where the agent lives', () => {
  test.each<[Platform, string | undefined]>([
    [{ os: 'linux' }, '/opt/azcmagent/bin/himds'],
    [
      { os: 'win32', programFiles: 'C:\\Program Files' },
      'C:\\Program Files\\AzureConnectedMachineAgent\\himds.exe',
    ],
    [{ os: 'win32' }, undefined],
    [{ os: 'other' }, undefined],
  ])('%j: %s', (platform, path) => {
    expect(arcAgentPath(platform)).toBe(path)
  })
})

describe('selection with the agent installed', () => {
  test.each([
    ['Linux', LINUX_AGENT, '/opt/azcmagent/bin/himds'],
    ['Windows', WINDOWS_AGENT, 'C:\\Program Files\\AzureConnectedMachineAgent\\himds.exe'],
  ])('%s, no variables: Arc on the default endpoints, and explain names the file', (_os, platform, file) => {
    expect(selectSource({}, undefined, platform)).toMatchObject({
      right: {
        _tag: 'AzureArc',
        endpoint: 'http://127.0.0.1:40342/metadata/identity/oauth2/token',
        byAgent: true,
      },
    })
    const arc = explainSelection({}, platform).find((verdict) => verdict.source === 'AzureArc')
    expect(arc).toMatchObject({ outcome: 'chosen' })
    expect(arc?.reason).toContain(file)
  })

  test('workload identity comes first', () => {
    expect(selectSource(WORKLOAD, undefined, LINUX_AGENT)).toMatchObject({
      right: { _tag: 'WorkloadIdentity' },
    })
  })

  test('IMDS is what remains without the agent', () => {
    expect(selectSource({}, undefined, { os: 'linux' })).toMatchObject({ right: { _tag: 'Imds' } })
  })

  test('a lone IDENTITY_ENDPOINT still stops selection', () => {
    expect(selectSource({ IDENTITY_ENDPOINT: 'http://127.0.0.1:1/x' }, undefined, LINUX_AGENT)).toMatchObject(
      {
        left: { code: 'no_source' },
      },
    )
  })
})
