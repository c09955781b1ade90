/** Reply arbitraries: well-formed ones parse in each source's shape; hostile ones never break parsing. */
import { parseTokenReply, redactBody, SOURCE_NAMES } from '@azmi/core'
import fc from 'fast-check'
import * as E from 'fp-ts/lib/Either.js'
import { describe, expect, test } from 'vitest'
import {
  DEFAULT_START,
  endpointReply,
  hostileReply,
  isTransportFailure,
  jwtLike,
  replySequence,
  retryAfterValue,
  TRANSPORT_FAILURE_KINDS,
  tokenReplyBody,
  toOutcome,
  wellFormedReply,
} from '../src/index.js'

const timing = { sentAt: DEFAULT_START, receivedAt: DEFAULT_START + 50 }

describe('well-formed replies', () => {
  test.each(SOURCE_NAMES)('every %s reply parses to its token, expiring in the future', (source) => {
    fc.assert(
      fc.property(wellFormedReply(source), (reply) => {
        const token = parseTokenReply(source, reply, timing)
        expect(token).toMatchObject({ right: { token: JSON.parse(reply.body).access_token } })
        expect(E.isRight(token) && token.right.expiresOnTimestamp > timing.receivedAt).toBe(true)
      }),
    )
  })

  test('each shape is the source’s own: numbers as strings for IMDS, numbers for Service Fabric, expires_in only for Entra', () => {
    const [imds] = fc.sample(tokenReplyBody('Imds'), 1).map((body) => JSON.parse(body))
    const [fabric] = fc.sample(tokenReplyBody('ServiceFabric'), 1).map((body) => JSON.parse(body))
    const [entra] = fc.sample(tokenReplyBody('WorkloadIdentity'), 1).map((body) => JSON.parse(body))
    expect(typeof imds.expires_on).toBe('string')
    expect(typeof fabric.expires_on).toBe('number')
    expect(Object.keys(entra).sort()).toEqual(['access_token', 'expires_in', 'ext_expires_in', 'token_type'])
  })

  test('a later clock moves expires_on with it', () => {
    const later = DEFAULT_START + 10 * 24 * 3600_000
    fc.assert(
      fc.property(wellFormedReply('AppService', { now: later }), (reply) => {
        expect(Number(JSON.parse(reply.body).expires_on) * 1000).toBeGreaterThan(later)
      }),
    )
  })
})

describe('hostile replies', () => {
  test('parsing never throws, and an error quotes the body redacted and short', () => {
    fc.assert(
      fc.property(hostileReply, (reply) => {
        const result = parseTokenReply('Imds', reply, timing)
        if (E.isLeft(result)) expect(result.left.message.length).toBeLessThan(2_500)
      }),
      { numRuns: 200 },
    )
  })

  test('runs of JWT-shaped text are masked wherever they stand', () => {
    fc.assert(
      fc.property(
        fc.array(jwtLike, { minLength: 1, maxLength: 5 }),
        fc.constantFrom(' ', '\n', '"'),
        (tokens, glue) => {
          const redacted = redactBody(`before ${tokens.join(glue)} after`)
          for (const token of tokens) expect(redacted).not.toContain(token)
        },
      ),
    )
  })
})

describe('statuses, failures and sequences', () => {
  test('Retry-After values include seconds, HTTP dates and junk', () => {
    const values = fc.sample(retryAfterValue(), 300)
    expect(values.some((value) => /^\d+$/.test(value))).toBe(true)
    expect(values.some((value) => value.endsWith('GMT') && !Number.isNaN(Date.parse(value)))).toBe(true)
  })

  test('endpoint replies cover every transport failure kind and error statuses', () => {
    const replies = fc.sample(endpointReply(), 2_000)
    const kinds = new Set(replies.filter(isTransportFailure).map((failure) => failure.kind))
    expect([...kinds].sort()).toEqual([...TRANSPORT_FAILURE_KINDS].sort())
    expect(replies.some((reply) => !isTransportFailure(reply) && reply.status >= 400)).toBe(true)
  })

  test('sequences stay within their length; recovering ones end with a token', () => {
    fc.assert(
      fc.property(replySequence({ maxLength: 6, recovers: true, source: 'Imds' }), (replies) => {
        expect(replies.length).toBeLessThanOrEqual(6)
        const last = replies.at(-1)
        expect(last !== undefined && !isTransportFailure(last) && last.status).toBe(200)
        expect(E.isRight(toOutcome(last ?? { status: 0, headers: {}, body: '' }))).toBe(true)
      }),
    )
  })
})
