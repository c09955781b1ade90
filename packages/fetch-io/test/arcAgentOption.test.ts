/**
 * `arcAgentInstalled` is the caller's word that the Arc agent is here; fetch-io cannot see the
 * operating system, and Arc's key directory depends on it. On the default platform the flag
 * would select nothing and the credential would fall through to IMDS, so it is refused
 * unless `platform` names Linux or Windows.
 */
import { describe, expect, test } from 'vitest'
import { ManagedIdentityCredential } from '../src/index.js'

describe('arcAgentInstalled', () => {
  test.each([undefined, { os: 'other' as const }])(
    'with platform %j is a configuration error naming platform',
    (platform) => {
      expect(
        () =>
          new ManagedIdentityCredential({ env: {}, arcAgentInstalled: true, ...(platform && { platform }) }),
      ).toThrow(
        expect.objectContaining({
          code: 'invalid_configuration',
          details: expect.objectContaining({ setting: 'platform' }),
        }),
      )
    },
  )

  test.each(['linux', 'win32'] as const)('with platform %s selects Azure Arc at the agent', (os) => {
    const credential = new ManagedIdentityCredential({ env: {}, arcAgentInstalled: true, platform: { os } })
    expect(credential.sourceName).toBe('AzureArc')
  })

  test('false, or absent, leaves selection to the variables', () => {
    expect(new ManagedIdentityCredential({ env: {}, arcAgentInstalled: false }).sourceName).toBe('Imds')
  })
})
