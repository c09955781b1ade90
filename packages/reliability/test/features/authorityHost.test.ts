/**
 * The `authorityHost` option (docs/protocol.md §2.7), over real TLS in both shells: it stands
 * for `AZURE_AUTHORITY_HOST`, so a sovereign cloud's authority can be chosen in code. The
 * emulated Entra ID is reached only through it: the environment's own `AZURE_AUTHORITY_HOST`
 * is removed, or points at a `.invalid` host that never resolves, so a credential that ignored
 * the option could not get a token.
 */
import type { Environment } from '@azmi/core'
import { emulatorPerFile, requestsTo, SCOPE } from '@azmi/test-support'
import { describe, expect, test } from 'vitest'
import { shells } from '../support/shells.js'
import { harnessesPerTest } from './featureSupport.js'

const emulator = emulatorPerFile()
const { open } = harnessesPerTest()

/** Workload identity's variables with `AZURE_AUTHORITY_HOST` set to `host`, or removed. */
const workloadEnv = (host: string | undefined): Environment => {
  const { AZURE_AUTHORITY_HOST: _, ...rest } = emulator().env('WorkloadIdentity')
  return host === undefined ? rest : { ...rest, AZURE_AUTHORITY_HOST: host }
}

const emulatedAuthority = () => emulator().env('WorkloadIdentity').AZURE_AUTHORITY_HOST as string

describe.each(shells)('%s: the authorityHost option', (shell) => {
  test.each([
    ['no AZURE_AUTHORITY_HOST', undefined],
    ['an AZURE_AUTHORITY_HOST that never resolves', 'https://login.invalid'],
  ])('with %s: the token comes from the authority the option names', async (_, host) => {
    const { credential } = open(shell, {
      env: workloadEnv(host),
      ca: emulator().caCertificatePem,
      authorityHost: emulatedAuthority(),
    })
    const token = await credential.getToken(SCOPE)
    expect(token.token).not.toBe('')
    expect(requestsTo(emulator(), 'WorkloadIdentity')).toHaveLength(1)
  })

  test('an authority host that is not https is refused before anything is sent', async () => {
    const { credential } = open(shell, {
      env: workloadEnv(undefined),
      ca: emulator().caCertificatePem,
      authorityHost: emulatedAuthority().replace('https:', 'http:'),
    })
    await expect(credential.getToken(SCOPE)).rejects.toMatchObject({ name: 'CredentialUnavailableError' })
    expect(requestsTo(emulator(), 'WorkloadIdentity')).toEqual([])
  })
})
