/**
 * Azure Arc with a user-assigned identity (docs/protocol.md §1.3, §2.4), through both shells:
 * the selector goes on both legs of the challenge as `client_id`, `object_id` or `msi_res_id`
 * (never `mi_res_id`, which Arc does not read), and the agent must echo it. A legacy agent
 * ignores the selector and answers with the machine's own identity, without an echo: that token
 * is discarded.
 *
 * fetch-io cannot look at the file system itself: on Node it is given node-io's file reader and
 * this host's platform, as an application would (`../support/shells.ts`). The challenge names a
 * key file in `/var/opt/azcmagent/tokens`, the only directory the credential reads keys from on
 * Linux; the emulator can write there only as root, so these tests run as root on Linux and are
 * skipped elsewhere.
 */
import {
  claimsOf,
  emulatorPerFile,
  isLinuxRoot,
  RESOURCE,
  requestsTo,
  SCOPE,
  USER_ASSIGNED_KINDS,
} from '@azmi/test-support'
import { describe, expect, test } from 'vitest'
import { type Shell, shells } from '../support/shells.js'
import { harnessesPerTest } from './featureSupport.js'

const emulator = emulatorPerFile()
const { open } = harnessesPerTest()

/** The query parameter Arc takes each kind of id by. */
const ARC_PARAMETER = { clientId: 'client_id', objectId: 'object_id', resourceId: 'msi_res_id' } as const

const arcCredential = (
  shell: Shell,
  identity: { clientId?: string; objectId?: string; resourceId?: string },
) => open(shell, { env: emulator().env('AzureArc'), ...identity }).credential

describe.skipIf(!isLinuxRoot).each(shells)(
  '%s: Azure Arc, user-assigned (root on Linux: the key directory)',
  (shell) => {
    test.each(USER_ASSIGNED_KINDS)(
      'by %s: the selector on both legs, echoed, and its token',
      async (kind) => {
        const { user } = emulator().identities
        const { token } = await arcCredential(shell, { [kind]: user[kind] }).getToken(SCOPE)
        expect(claimsOf(token)).toEqual({ aud: RESOURCE, appid: user.clientId, oid: user.objectId })
        const legs = requestsTo(emulator(), 'AzureArc')
        expect(legs).toHaveLength(2)
        expect(legs[0]?.headers.authorization).toBeUndefined()
        expect(legs[1]?.headers.authorization).toMatch(/^Basic /)
        for (const leg of legs) {
          expect(leg.query[ARC_PARAMETER[kind]]).toBe(user[kind])
          expect(leg.query).not.toHaveProperty('mi_res_id')
        }
      },
    )

    test.each(USER_ASSIGNED_KINDS)(
      'by %s, legacy agent ignoring it: identity_not_confirmed',
      async (kind) => {
        emulator().setArcAgent('legacy')
        const { user } = emulator().identities
        await expect(arcCredential(shell, { [kind]: user[kind] }).getToken(SCOPE)).rejects.toMatchObject({
          name: 'AuthenticationError',
          code: 'identity_not_confirmed',
          source: 'AzureArc',
          message: expect.stringContaining(
            'Azure Connected Machine agent likely does not support user-assigned',
          ),
          details: { expected: user[kind], actual: undefined },
        })
        // the selector was sent on both legs; the agent answered the keyed one with its own token
        const legs = requestsTo(emulator(), 'AzureArc')
        expect(legs.map((leg) => leg.query[ARC_PARAMETER[kind]])).toEqual([user[kind], user[kind]])
      },
    )

    test('an agent that names another identity: identity_not_confirmed naming it', async () => {
      emulator().script('AzureArc', [{ delayMs: 0 }, { lie: 'identity' }])
      const { user, system } = emulator().identities
      await expect(arcCredential(shell, { clientId: user.clientId }).getToken(SCOPE)).rejects.toMatchObject({
        code: 'identity_not_confirmed',
        details: { field: 'client_id', expected: user.clientId, actual: system.clientId },
      })
    })

    test('the system-assigned identity from a legacy agent is accepted: nothing was named', async () => {
      emulator().setArcAgent('legacy')
      const { system } = emulator().identities
      const { token } = await arcCredential(shell, {}).getToken(SCOPE)
      expect(claimsOf(token)).toEqual({ aud: RESOURCE, appid: system.clientId, oid: system.objectId })
      expect(requestsTo(emulator(), 'AzureArc').map((leg) => leg.query.client_id)).toEqual([
        undefined,
        undefined,
      ])
    })
  },
)
