import fc from 'fast-check'
import * as E from 'fp-ts/lib/Either.js'
import { describe, expect, test } from 'vitest'
import { parseDateForm } from '../src/expiry.js'
import { type HttpResponse, parseTokenReply, redactBody } from '../src/index.js'

const SENT = Date.UTC(2030, 0, 1, 0, 0, 0)
const timing = { sentAt: SENT, receivedAt: SENT + 50 }
const reply = (body: unknown, status = 200): HttpResponse => ({
  status,
  headers: {},
  body: typeof body === 'string' ? body : JSON.stringify(body),
})
const parse = (body: unknown) => parseTokenReply('AppService', reply(body), timing)
const epochSeconds = SENT / 1000 + 7200

describe('expiry', () => {
  test.each([
    ['a number', epochSeconds],
    ['a numeric string', String(epochSeconds)],
  ])('expires_on as %s', (_name, value) => {
    expect(parse({ access_token: 't', expires_on: value })).toMatchObject({
      right: { expiresOnTimestamp: epochSeconds * 1000 },
    })
  })

  test.each([
    ['06/20/2030 02:57:58 +00:00', Date.UTC(2030, 5, 20, 2, 57, 58)],
    ['1/16/2030 5:24:12 AM +00:00', Date.UTC(2030, 0, 16, 5, 24, 12)],
    ['1/16/2030 5:24:12 PM +00:00', Date.UTC(2030, 0, 16, 17, 24, 12)],
    ['1/16/2030 12:00:00 AM +00:00', Date.UTC(2030, 0, 16, 0, 0, 0)],
    ['1/16/2030 12:00:00 PM +00:00', Date.UTC(2030, 0, 16, 12, 0, 0)],
    ['12/31/2030 23:59:59 +00:00', Date.UTC(2030, 11, 31, 23, 59, 59)],
  ])('date form %s', (text, expected) => {
    expect(parseDateForm(text)).toBe(expected)
    expect(parse({ access_token: 't', expires_on: text })).toMatchObject({
      right: { expiresOnTimestamp: expected },
    })
  })

  test.each([
    '2/30/2030 01:00:00 +00:00',
    '13/01/2030 01:00:00 +00:00',
    '1/1/2030 13:00:00 PM +00:00',
    '1/1/2030 24:00:00 +00:00',
    '1/1/2030 01:00:00 +01:00',
    '2030-01-01T00:00:00Z',
  ])('refuses the impossible or foreign date %s', (text) => {
    expect(parseDateForm(text)).toBeUndefined()
  })

  test('expires_in is added to the time the request was sent', () => {
    expect(parse({ access_token: 't', expires_in: '3600' })).toMatchObject({
      right: { expiresOnTimestamp: SENT + 3_600_000 },
    })
    expect(parse({ access_token: 't', expires_in: 3600 })).toMatchObject({
      right: { expiresOnTimestamp: SENT + 3_600_000 },
    })
  })

  test('expires_on wins over expires_in', () => {
    expect(parse({ access_token: 't', expires_on: epochSeconds, expires_in: 60 })).toMatchObject({
      right: { expiresOnTimestamp: epochSeconds * 1000 },
    })
  })

  test('an invalid expires_on falls back to expires_in', () => {
    expect(parse({ access_token: 't', expires_on: 'soon', expires_in: 60 })).toMatchObject({
      right: { expiresOnTimestamp: SENT + 60_000 },
    })
  })

  test('no expiry, or one in the past, is an InvalidResponse', () => {
    expect(parse({ access_token: 't' })).toMatchObject({
      left: { _tag: 'InvalidResponse', code: 'invalid_response' },
    })
    expect(parse({ access_token: 't', expires_on: SENT / 1000 - 1 })).toMatchObject({
      left: { _tag: 'InvalidResponse' },
    })
  })

  test('number and numeric string parse equal', () => {
    fc.assert(
      fc.property(fc.integer({ min: SENT / 1000 + 1, max: SENT / 1000 + 365 * 86_400 }), (seconds) => {
        expect(parse({ access_token: 't', expires_on: seconds })).toEqual(
          parse({ access_token: 't', expires_on: String(seconds) }),
        )
      }),
    )
  })
})

describe('refresh time and token type', () => {
  test('refresh_in is used when given', () => {
    expect(parse({ access_token: 't', expires_in: 86400, refresh_in: 600 })).toMatchObject({
      right: { refreshAfterTimestamp: SENT + 600_000 },
    })
  })

  test('half the lifetime when it is at least two hours, none below', () => {
    expect(parse({ access_token: 't', expires_in: 7200 })).toMatchObject({
      right: { refreshAfterTimestamp: SENT + 3_600_000 },
    })
    // sent 600 ms into a second; a whole-second expires_on makes the two hours measure 7199.4 s
    const sentMidSecond = { sentAt: SENT + 600, receivedAt: SENT + 650 }
    const twoHours = parseTokenReply(
      'AppService',
      reply({ access_token: 't', expires_on: SENT / 1000 + 7200 }),
      sentMidSecond,
    )
    expect(twoHours).toMatchObject({ right: { refreshAfterTimestamp: expect.any(Number) } })
    const short = parse({ access_token: 't', expires_in: 7198 })
    expect(E.isRight(short) && 'refreshAfterTimestamp' in short.right).toBe(false)
  })

  test('token_type defaults to Bearer; PoP in any case becomes core-auth\'s "pop"', () => {
    expect(parse({ access_token: 't', expires_in: 60 })).toMatchObject({ right: { tokenType: 'Bearer' } })
    expect(parse({ access_token: 't', expires_in: 60, token_type: 'bearer' })).toMatchObject({
      right: { tokenType: 'Bearer' },
    })
    expect(parse({ access_token: 't', expires_in: 60, token_type: 'PoP' })).toMatchObject({
      right: { tokenType: 'pop' },
    })
  })
})

describe('bad bodies', () => {
  test.each([
    ['not json', 'Service Unavailable'],
    ['no access_token', { expires_in: 60 }],
    ['empty access_token', { access_token: '', expires_in: 60 }],
    ['non-string access_token', { access_token: 42, expires_in: 60 }],
    ['an array', [1, 2]],
    ['null', 'null'],
  ])('%s is an InvalidResponse quoting the status', (_name, body) => {
    const result = parse(body)
    expect(result).toMatchObject({ left: { _tag: 'InvalidResponse', status: 200 } })
    expect(E.isLeft(result) && result.left.message).toContain('200')
  })

  test('never throws on arbitrary strings or JSON', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.json(),
          fc.jsonValue().map((v) => JSON.stringify({ access_token: 't', expires_on: v })),
        ),
        (body) => {
          const result = parseTokenReply('Imds', reply(body), timing)
          expect(['Left', 'Right']).toContain(result._tag)
        },
      ),
    )
  })

  test('the access token never appears in an error, however the body is shaped', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[A-Za-z0-9._-]{16,64}$/), fc.jsonValue(), (token, expiresOn) => {
        const result = parse({ access_token: token, expires_on: expiresOn, expires_in: 'never' })
        if (E.isLeft(result)) expect(JSON.stringify(result.left)).not.toContain(token)
      }),
    )
  })
})

describe('redactBody', () => {
  test('replaces token values and bounds the length', () => {
    expect(redactBody('{"access_token":"abc\\"def","x":1}')).toBe('{"access_token":"****","x":1}')
    expect(redactBody('x'.repeat(5000)).length).toBeLessThan(1100)
  })
})

describe('absurd expiries are not tokens', () => {
  const reply = (fields: Record<string, unknown>): HttpResponse => ({
    status: 200,
    headers: {},
    body: JSON.stringify({ access_token: 'at', ...fields }),
  })
  const NOW = 1_800_000_000_000

  test.each([
    ['expires_on 1e308', { expires_on: 1e308 }],
    ['expires_on 1e13', { expires_on: 1e13 }],
    ['expires_on of 400 digits', { expires_on: '9'.repeat(400) }],
    ['expires_in of two years', { expires_in: 2 * 366 * 86_400 }],
  ])('%s is an invalid response', (_case, fields) => {
    expect(parseTokenReply('Imds', reply(fields), { sentAt: NOW, receivedAt: NOW })).toMatchObject({
      left: { code: 'invalid_response' },
    })
  })

  test('a day is a token', () => {
    expect(
      parseTokenReply('Imds', reply({ expires_in: 86_400 }), { sentAt: NOW, receivedAt: NOW }),
    ).toMatchObject({
      right: { expiresOnTimestamp: NOW + 86_400_000 },
    })
  })
})
