/**
 * fast-check arbitraries for what a token endpoint answers with (docs/protocol.md §3):
 * well-formed token replies in each source's real shape, and hostile bodies that a parser,
 * a redactor or an error message must survive in linear time without leaking a token.
 *
 * @since 0.1.0
 */
import type { HttpResponse, SourceName } from '@azmi/core'
import * as fc from 'fast-check'
import { identityId, jwtLike } from './values.js'

// -------------------------------------------------------------------------------------
// well-formed token replies
// -------------------------------------------------------------------------------------

/** The fake clock's start, and the default `now` of the reply arbitraries. */
export const DEFAULT_START = 1_700_000_000_000

/** Options of {@link tokenReplyBody} and {@link wellFormedReply}. */
export interface TokenReplyOptions {
  /** The clock when the reply is sent (epoch ms): expiry times are drawn after it. Default {@link DEFAULT_START}. */
  readonly now?: number
  /** The access token to send. Default: a drawn JWT-shaped token. */
  readonly token?: fc.Arbitrary<string>
}

/** What every shape is built from: the token and its times, in seconds. */
interface Issued {
  readonly token: string
  readonly lifetime: number
  readonly nowSeconds: number
  readonly resource: string
  readonly clientId: string
  readonly asString: boolean
}

/** `M/D/YYYY h:MM:SS AM +00:00`, the date form Azure ML may send as `expires_on`. */
const usDate = (epochSeconds: number): string => {
  const date = new Date(epochSeconds * 1000)
  const hours = date.getUTCHours()
  const two = (value: number) => String(value).padStart(2, '0')
  const clock = `${hours % 12 === 0 ? 12 : hours % 12}:${two(date.getUTCMinutes())}:${two(date.getUTCSeconds())}`
  return `${date.getUTCMonth() + 1}/${date.getUTCDate()}/${date.getUTCFullYear()} ${clock} ${hours < 12 ? 'AM' : 'PM'} +00:00`
}

/**
 * Each source's reply, field for field as its endpoint sends it (the emulator's shapes):
 * IMDS and Arc send every number as a string, Service Fabric as numbers, Entra ID `expires_in`
 * only, Azure ML either epoch seconds or its US date.
 */
const SHAPES: Readonly<Record<SourceName, (issued: Issued) => Record<string, unknown>>> = {
  Imds: ({ token, lifetime, nowSeconds, resource, clientId }) => ({
    access_token: token,
    client_id: clientId,
    expires_in: String(lifetime),
    expires_on: String(nowSeconds + lifetime),
    ext_expires_in: String(lifetime),
    not_before: String(nowSeconds - 300),
    resource,
    token_type: 'Bearer',
  }),
  AppService: ({ token, lifetime, nowSeconds, resource, clientId }) => ({
    access_token: token,
    expires_on: String(nowSeconds + lifetime),
    resource,
    token_type: 'Bearer',
    client_id: clientId,
  }),
  ServiceFabric: ({ token, lifetime, nowSeconds, resource }) => ({
    token_type: 'Bearer',
    access_token: token,
    expires_on: nowSeconds + lifetime,
    resource,
  }),
  AzureArc: ({ token, lifetime, nowSeconds, resource }) => ({
    access_token: token,
    expires_in: String(lifetime),
    expires_on: String(nowSeconds + lifetime),
    not_before: String(nowSeconds - 300),
    resource,
    token_type: 'Bearer',
  }),
  AzureML: ({ token, lifetime, nowSeconds, resource, clientId, asString }) => ({
    access_token: token,
    expires_on: asString ? String(nowSeconds + lifetime) : usDate(nowSeconds + lifetime),
    resource,
    token_type: 'Bearer',
    client_id: clientId,
  }),
  CloudShell: ({ token, lifetime, nowSeconds, resource, asString }) => {
    const number = (value: number) => (asString ? String(value) : value)
    return {
      access_token: token,
      expires_in: number(lifetime),
      expires_on: number(nowSeconds + lifetime),
      not_before: number(nowSeconds - 300),
      resource,
      token_type: 'Bearer',
    }
  },
  WorkloadIdentity: ({ token, lifetime }) => ({
    token_type: 'Bearer',
    expires_in: lifetime,
    ext_expires_in: lifetime,
    access_token: token,
  }),
}

const resource = fc.constantFrom(
  'https://management.azure.com',
  'https://storage.azure.com',
  'https://vault.azure.net',
)

/**
 * The JSON text of a successful token reply in `source`'s real shape: a token that lives
 * 5 minutes to 24 hours from `now`, with the time fields, numbers-as-strings and extra fields
 * that source's endpoint really sends. `parseTokenReply(source, …)` accepts every value.
 */
export const tokenReplyBody = (source: SourceName, options: TokenReplyOptions = {}): fc.Arbitrary<string> =>
  fc
    .record({
      token: options.token ?? jwtLike,
      lifetime: fc.integer({ min: 300, max: 86_400 }),
      resource,
      clientId: identityId,
      asString: fc.boolean(),
    })
    .map((drawn) =>
      JSON.stringify(
        SHAPES[source]({ ...drawn, nowSeconds: Math.floor((options.now ?? DEFAULT_START) / 1000) }),
      ),
    )

/** {@link tokenReplyBody} as a whole `200` reply labelled `application/json`. */
export const wellFormedReply = (
  source: SourceName,
  options: TokenReplyOptions = {},
): fc.Arbitrary<HttpResponse> =>
  tokenReplyBody(source, options).map((body) => ({
    status: 200,
    headers: { 'content-type': 'application/json; charset=utf-8' },
    body,
  }))

// -------------------------------------------------------------------------------------
// hostile bodies
// -------------------------------------------------------------------------------------

/** A body up to just over the 1 MiB cap: the limits on size and time are what it tests. */
const huge = fc
  .record({
    size: fc.integer({ min: 64 * 1024, max: 1_100_000 }),
    filler: fc.constantFrom('A', 'ey', '\\', '"', '9'),
  })
  .chain(({ size, filler }) =>
    fc.constantFrom(
      filler.repeat(Math.ceil(size / filler.length)),
      `{"access_token":"${'A'.repeat(size)}","expires_in":3600}`,
      `{"error":"${'x'.repeat(size)}"}`,
    ),
  )

/** Runs of JWT-shaped text, glued together or spread through prose: what redaction must mask. */
const jwtRuns = fc
  .tuple(fc.array(jwtLike, { minLength: 1, maxLength: 50 }), fc.constantFrom('', ' ', '.', '\n', '"'))
  .map(([tokens, glue]) => tokens.join(glue))

/** Nesting far deeper than any reply: `[[[[…]]]]` and `{"a":{"a":…}}`. */
const deepJson = fc
  .tuple(fc.integer({ min: 100, max: 20_000 }), fc.boolean())
  .map(([depth, arrays]) =>
    arrays ? `${'['.repeat(depth)}${']'.repeat(depth)}` : `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`,
  )

/** Token fields spelled with JSON escapes, lone surrogates and odd keys. */
const escapes = fc
  .tuple(jwtLike, fc.integer({ min: 0, max: 100_000 }))
  .chain(([token, seconds]) =>
    fc.constantFrom(
      `{"\\u0061ccess_token":"${token}","expires_in":${seconds}}`,
      `{"access\\u005ftoken":"${token}","expires_on":"${seconds}"}`,
      `{"access_token":"\\ud800${token}","expires_in":"${seconds}"}`,
      `{"access_token":"${token}\\u0000","expires_in":1e400}`,
      `{"__proto__":{"access_token":"${token}"},"constructor":{"prototype":{}},"expires_in":${seconds}}`,
      `{"access_token":"${token}","access_token":"","expires_in":-${seconds}}`,
      `{"error":"bad","error_description":"${token.replace(/\./g, '\\u002e')}"}`,
    ),
  )

/** Anything that is not a JSON object: HTML, truncated JSON, bare values, control characters, junk. */
const nonJson = fc.oneof(
  fc.string(),
  // any UTF-16 code units: control characters, lone surrogates, NULs
  fc
    .array(fc.integer({ min: 0, max: 0xffff }), { maxLength: 200 })
    .map((units) => String.fromCharCode(...units)),
  fc.constantFrom(
    '',
    'null',
    '[]',
    '"token"',
    '123',
    'true',
    '{',
    '{"access_token":',
    '<html><body>502 Bad Gateway</body></html>',
  ),
  jwtLike.map((token) => `access_token=${token}&expires_in=3600`),
)

/**
 * Bodies no endpoint should send and the core must survive: huge ones (up to just over
 * 1 MiB), runs of JWT-shaped text, JSON nested 20,000 deep, token fields behind JSON escapes,
 * `__proto__` keys and duplicate keys, and anything that is not JSON at all.
 */
export const hostileBody: fc.Arbitrary<string> = fc.oneof(huge, jwtRuns, deepJson, escapes, nonJson)

/** A hostile body under a drawn status (mostly 200) and a JSON label, as a whole reply. */
export const hostileReply: fc.Arbitrary<HttpResponse> = fc
  .tuple(
    fc.oneof(
      { weight: 3, arbitrary: fc.constant(200) },
      { weight: 1, arbitrary: fc.integer({ min: 100, max: 599 }) },
    ),
    hostileBody,
  )
  .map(([status, body]) => ({ status, headers: { 'content-type': 'application/json' }, body }))
