/**
 * Class 7: an expiry no real token has is `invalid_response`, never a token that lasts
 * forever (docs/protocol.md §3: not finite, outside what a `Date` holds, or more than a year
 * after the reply). `expires_on` of `1e308`, `1e13` (the year 318857) or 400 digits, as a
 * number and as a string, and `expires_in` of `1e308`, through both shells over real sockets.
 * Before the fix they became tokens expiring at `Infinity` or past the `Date` range, and
 * `azmi token` printed "Invalid time value" (checked in `cliOutput.test.ts`).
 */
import { emulatorForTest, watchUnhandledRejections } from '@azmi/test-support'
import { describe, expect, test } from 'vitest'
import { SCOPE } from '../support/environments.js'
import { CLASS_GROUPS } from '../support/hostileClasses.js'
import { failed, settle } from '../support/settle.js'
import { credentialFor, shells } from '../support/shells.js'
import { reportGroup } from '../support/verdict.js'

watchUnhandledRejections()
const report = reportGroup('class-07-expiries', CLASS_GROUPS[7])
const tuning = { timeoutMs: 2_000, deadlineMs: 5_000, retry: { maxRetries: 0 } }

const FOUR_HUNDRED_DIGITS = '9'.repeat(400)
const TWO_YEARS_S = 2 * 366 * 24 * 3600

/** The expiry fields of each reply, as JSON text (so that a 400-digit number stays one). */
const ABSURD_EXPIRIES: ReadonlyArray<{ readonly name: string; readonly fields: () => string }> = [
  { name: 'expires_on 1e308', fields: () => '"expires_on":1e308' },
  { name: 'expires_on 1e13', fields: () => '"expires_on":1e13' },
  { name: 'expires_on of 400 digits', fields: () => `"expires_on":${FOUR_HUNDRED_DIGITS}` },
  { name: 'expires_on of 400 digits, as a string', fields: () => `"expires_on":"${FOUR_HUNDRED_DIGITS}"` },
  { name: 'expires_on "1e308" as a string', fields: () => '"expires_on":"1e308"' },
  { name: 'expires_in 1e308', fields: () => '"expires_in":1e308' },
  {
    name: 'expires_on two years ahead',
    fields: () => `"expires_on":${Math.floor(Date.now() / 1000) + TWO_YEARS_S}`,
  },
]

describe('class 7: absurd expiries', () => {
  for (const shell of shells)
    for (const source of ['AppService', 'Imds'] as const)
      for (const expiry of ABSURD_EXPIRIES)
        test.concurrent(`${shell}, ${source}: ${expiry.name}`, async (context) => {
          const emulator = await emulatorForTest(context)
          const body = `{"access_token":"opaque-token-value","token_type":"Bearer",${expiry.fields()}}`
          emulator.script(source, [{ status: 200, body }])
          const { credential, close } = credentialFor(shell, { env: emulator.env(source), ...tuning })
          const settled = await settle(() => credential.getToken(SCOPE))
          close()
          report.check(
            context,
            {
              case: `class 7: ${expiry.name}`,
              shell,
              source,
              budgetMs: tuning.deadlineMs,
              requests: emulator.requests.length,
            },
            settled,
            failed('invalid_response'),
          )
          expect(settled.outcome.kind === 'error' && settled.outcome.message).not.toContain(
            'Invalid time value',
          )
        })
})
