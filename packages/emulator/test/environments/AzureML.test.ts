import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import { azureMlExpiryDate } from '../../src/environments/AzureML.js'
import { tokenClient } from '../clientRequests.js'
import { emulatorForFile } from '../emulatorForFile.js'
import { jsonBody } from '../httpClient.js'
import { expectIssuedToken } from '../tokenClaims.js'

const [emulator, withDates] = await Promise.all([
  emulatorForFile(),
  emulatorForFile({ azureMlDateExpiry: true }),
])

const resource = 'https://storage.azure.com/'
const getToken = tokenClient(emulator, 'AzureML')
const getDatedToken = tokenClient(withDates, 'AzureML')

/** Reads `M/D/YYYY h:MM:SS AM|PM +00:00` back into epoch seconds, independently of the formatter. */
const parseAzureMlDate = (text: string): number => {
  const match = /^(\d{1,2})\/(\d{1,2})\/(\d{4}) (\d{1,2}):(\d{2}):(\d{2}) (AM|PM) \+00:00$/.exec(text)
  if (match === null) throw new Error(`not an AzureML date: ${text}`)
  const [, month, day, year, hour, minute, second, half] = match.map((part) => part ?? '')
  const hour24 = (Number(hour) % 12) + (half === 'PM' ? 12 : 0)
  return Date.UTC(Number(year), Number(month) - 1, Number(day), hour24, Number(minute), Number(second)) / 1000
}

describe('AzureML', () => {
  test('env has endpoint, secret and the default identity client id', () => {
    const env = emulator.env('AzureML')
    expect(env).toEqual({
      MSI_ENDPOINT: `${emulator.url}/azureml/msi/token`,
      MSI_SECRET: expect.stringMatching(/^[0-9a-f]{32,}$/),
      DEFAULT_IDENTITY_CLIENT_ID: emulator.identities.system.clientId,
    })
  })

  test('formats the documented example date', () => {
    expect(azureMlExpiryDate(Date.UTC(2020, 0, 16, 5, 24, 12) / 1000)).toBe('1/16/2020 5:24:12 AM +00:00')
    expect(azureMlExpiryDate(Date.UTC(2019, 5, 20, 0, 7, 8) / 1000)).toBe('6/20/2019 12:07:08 AM +00:00')
    expect(azureMlExpiryDate(Date.UTC(2019, 5, 20, 12, 0, 0) / 1000)).toBe('6/20/2019 12:00:00 PM +00:00')
  })

  test('the date form names the same second as the epoch', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 4_102_444_800 }), (seconds) => {
        expect(parseAzureMlDate(azureMlExpiryDate(seconds))).toBe(seconds)
      }),
    )
  })

  test('issues a system-assigned token with a numeric-string expires_on', async () => {
    const reply = await getToken(`api-version=2017-09-01&resource=${resource}`)
    expect(reply.status).toBe(200)
    const body = jsonBody(reply)
    expect(body).toMatchObject({ resource, token_type: 'Bearer' })
    expect(body.expires_on).toMatch(/^\d+$/)
    expectIssuedToken(body, { emulator, who: 'system', audience: resource })
  })

  test('the default identity client id selects the system-assigned identity', async () => {
    const clientId = emulator.env('AzureML').DEFAULT_IDENTITY_CLIENT_ID
    const body = jsonBody(await getToken(`api-version=2017-09-01&resource=${resource}&clientid=${clientId}`))
    expect(body.access_token).toBeTypeOf('string')
  })

  // Selection by each identity parameter, and the echo, are in ../identityEcho.test.ts (all three environments).
  test('with azureMlDateExpiry, expires_on is a date naming the second of exp', async () => {
    const body = jsonBody(await getDatedToken(`api-version=2017-09-01&resource=${resource}`))
    expect(body.expires_on).toMatch(/^\d{1,2}\/\d{1,2}\/\d{4} \d{1,2}:\d{2}:\d{2} [AP]M \+00:00$/)
    const expiresOn = parseAzureMlDate(String(body.expires_on))
    expectIssuedToken(body, { emulator: withDates, who: 'system', audience: resource, expiresOn })
  })

  test.each([
    ['missing', {}],
    ['wrong', { secret: 'wrong' }],
  ])('answers 401 to a %s secret header', async (_case, headers) => {
    expect((await getToken(`api-version=2017-09-01&resource=${resource}`, headers)).status).toBe(401)
  })

  test('answers 400 for an unknown identity', async () => {
    expect((await getToken(`api-version=2017-09-01&resource=${resource}&clientid=nobody`)).status).toBe(400)
  })
})
