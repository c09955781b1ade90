/** Azure Arc's challenge flow with fake send/readFile: nothing outside the rules is ever read. */
import { describe, expect, test } from 'vitest'
import { createManagedIdentityClient, fileFailure, type Platform } from '../../src/index.js'
import { validateKeyPath } from '../../src/sources/arcKeyPath.js'
import { fakeWorld, json, tokenReply } from '../fakes.js'
import {
  IDENTITIES,
  plannedHeaders,
  tokenReply as planTokenReply,
  query,
  reply,
  sentRequests,
  walkFor,
} from './plans.js'

const ENV = {
  IDENTITY_ENDPOINT: 'http://localhost:40342/metadata/identity/oauth2/token',
  IMDS_ENDPOINT: 'http://localhost:40342',
}
const GOOD_KEY = '/var/opt/azcmagent/tokens/0123abcd.key'
const KEY = 'arc-key-secret-contents'

const arcWorld = (
  realmHeader: string | undefined,
  options: { platform?: Platform; files?: Record<string, string | ReturnType<typeof fileFailure>> } = {},
) =>
  fakeWorld({
    platform: options.platform ?? { os: 'linux' },
    files: options.files ?? { [GOOD_KEY]: KEY },
    respond: (request) =>
      'Authorization' in request.headers
        ? tokenReply('arc-token')
        : json(401, {}, realmHeader === undefined ? {} : { 'WWW-Authenticate': realmHeader }),
  })

const getToken = (world: ReturnType<typeof fakeWorld>) =>
  createManagedIdentityClient({ env: ENV }, world.capabilities).getToken(
    'https://management.azure.com/.default',
  )

describe('Arc challenge flow', () => {
  test('401 → key path validated → file read → keyed retry', async () => {
    const world = arcWorld(`Basic realm=${GOOD_KEY}`)
    expect(await getToken(world)).toMatchObject({ right: { token: 'arc-token' } })
    expect(world.reads).toEqual([GOOD_KEY])
    expect(world.sent.map((r) => plannedHeaders(r))).toEqual([
      { Metadata: 'true' },
      { Metadata: 'true', Authorization: `Basic ${KEY}` },
    ])
    expect(new URL(world.sent[0]?.url ?? '').searchParams.get('api-version')).toBe('2020-06-01')
    expect(world.sent[0]?.url).toBe(world.sent[1]?.url)
  })

  test('the header name is matched case-insensitively', async () => {
    const world = fakeWorld({
      files: { [GOOD_KEY]: KEY },
      respond: (r) =>
        'Authorization' in r.headers
          ? tokenReply()
          : json(401, {}, { 'www-authenticate': `basic REALM=${GOOD_KEY}` }),
    })
    expect(await getToken(world)).toMatchObject({ _tag: 'Right' })
  })

  test.each([
    ['outside the key directory', 'Basic realm=/etc/shadow', 'directory'],
    ['a sibling directory', 'Basic realm=/var/opt/azcmagent/tokens2/x.key', 'directory'],
    ['a subdirectory', 'Basic realm=/var/opt/azcmagent/tokens/sub/x.key', 'directory'],
    ['.. segments', 'Basic realm=/var/opt/azcmagent/tokens/../../../etc/x.key', 'traversal'],
    ['not .key', 'Basic realm=/var/opt/azcmagent/tokens/x.txt', 'extension'],
    ['a bare .key', 'Basic realm=/var/opt/azcmagent/tokens/.key', 'extension'],
  ])('a realm %s is refused without reading (%s)', async (_name, header, rule) => {
    const world = arcWorld(header)
    expect(await getToken(world)).toMatchObject({ left: { _tag: 'ArcKeyFile', code: 'arc_key_file', rule } })
    expect(world.reads).toEqual([])
    expect(world.sent).toHaveLength(1)
  })

  test.each([
    ['no header', undefined],
    ['an empty realm', 'Basic realm='],
    ['a quoted realm', `Basic realm="${GOOD_KEY}"`],
    ['a realm with =', `Basic realm=${GOOD_KEY}=x`],
    ['another scheme', `Bearer realm=${GOOD_KEY}`],
    ['two parameters', `Basic realm=${GOOD_KEY}, charset=UTF-8`],
  ])('a challenge with %s is refused without reading', async (_name, header) => {
    const world = arcWorld(header)
    expect(await getToken(world)).toMatchObject({
      left: { _tag: 'ArcChallenge', code: 'arc_challenge', status: 401 },
    })
    expect(world.reads).toEqual([])
  })

  test('a 200 to the first request is not accepted as a token', async () => {
    const world = fakeWorld({ files: { [GOOD_KEY]: KEY }, respond: () => tokenReply() })
    expect(await getToken(world)).toMatchObject({ left: { _tag: 'ArcChallenge', status: 200 } })
  })

  test.each([
    ['not-regular-file', 'not-regular-file'],
    ['too-large', 'too-large'],
    ['permission', 'unreadable'],
    ['not-found', 'unreadable'],
  ] as const)('a shell refusal %s becomes rule %s', async (kind, rule) => {
    const world = arcWorld(`Basic realm=${GOOD_KEY}`, { files: { [GOOD_KEY]: fileFailure(kind, 'refused') } })
    expect(await getToken(world)).toMatchObject({ left: { _tag: 'ArcKeyFile', rule } })
    expect(world.sent).toHaveLength(1)
  })

  test('no readFile capability: unavailable, saying so', async () => {
    const world = fakeWorld({
      withoutReadFile: true,
      respond: () => json(401, {}, { 'WWW-Authenticate': `Basic realm=${GOOD_KEY}` }),
    })
    expect(await getToken(world)).toMatchObject({
      left: { _tag: 'UnsupportedRuntime', capability: 'readFile', family: 'unavailable' },
    })
  })

  test('the key never appears in an error, even when the endpoint echoes it', async () => {
    const world = fakeWorld({
      files: { [GOOD_KEY]: KEY },
      respond: (r) =>
        'Authorization' in r.headers
          ? json(500, { error: `bad key ${r.headers.Authorization}` })
          : json(401, {}, { 'WWW-Authenticate': `Basic realm=${GOOD_KEY}` }),
    })
    const result = await getToken(world)
    expect(result).toMatchObject({ left: { _tag: 'Http', status: 500 } })
    expect(JSON.stringify(result)).not.toContain(KEY)
    expect(JSON.stringify(world.events)).not.toContain(KEY)
  })
})

describe('validateKeyPath per platform', () => {
  const windows: Platform = { os: 'win32', programData: 'C:\\ProgramData' }
  test.each([
    ['C:\\ProgramData\\AzureConnectedMachineAgent\\Tokens\\a.key', 'Right'],
    ['c:\\programdata\\azureconnectedmachineagent\\tokens\\a.key', 'Right'],
    ['C:\\ProgramData\\AzureConnectedMachineAgent\\Tokens\\..\\a.key', 'Left'],
    ['C:\\Windows\\a.key', 'Left'],
    ['/var/opt/azcmagent/tokens/a.key', 'Left'],
  ])('Windows: %s → %s', (path, tag) => {
    expect(validateKeyPath(path, windows)._tag).toBe(tag)
  })

  test('other platforms are unsupported', () => {
    expect(validateKeyPath(GOOD_KEY, { os: 'other' })).toMatchObject({ left: { rule: 'platform' } })
  })
})

describe('the plan as data', () => {
  test('challenge, key read, keyed request: three steps', () => {
    const walk = walkFor(
      ENV,
      {
        replies: [reply(json(401, {}, { 'WWW-Authenticate': `Basic realm=${GOOD_KEY}` })), planTokenReply()],
        files: { [GOOD_KEY]: KEY },
      },
      { platform: { os: 'linux' } },
    )
    expect(walk.steps.map((step) => step._tag)).toEqual(['Send', 'ReadFile', 'Send'])
    expect(sentRequests(walk).map((request) => plannedHeaders(request))).toEqual([
      { Metadata: 'true' },
      { Metadata: 'true', Authorization: `Basic ${KEY}` },
    ])
  })

  const NAMES = { clientId: 'client_id', objectId: 'object_id', resourceId: 'msi_res_id' }
  const challenge = reply(json(401, {}, { 'WWW-Authenticate': `Basic realm=${GOOD_KEY}` }))
  const files = { [GOOD_KEY]: KEY }

  describe.each(IDENTITIES.filter(([kind]) => kind !== 'system'))(
    'with the %s identity',
    (_kind, identity) => {
      const [option = '', value = ''] = Object.entries(identity)[0] ?? []
      const field = NAMES[option as keyof typeof NAMES]

      test('the identity goes on both legs, and an echo of it (in any case) confirms the token', () => {
        const replies = [challenge, planTokenReply({ [field]: value.toUpperCase() })]
        const walk = walkFor(ENV, { replies, files }, { identity, platform: { os: 'linux' } })
        expect(sentRequests(walk).map((request) => query(request.url)[field])).toEqual([value, value])
        expect(walk.result).toMatchObject({ right: { token: 'at' } })
      })

      test.each([
        ['names no identity (a legacy agent)', {}],
        ['names another identity', { [field]: 'someone-else' }],
      ])('a reply that %s is refused: fail closed', (_case, echo) => {
        const walk = walkFor(
          ENV,
          { replies: [challenge, planTokenReply(echo)], files },
          { identity, platform: { os: 'linux' } },
        )
        expect(walk.result).toMatchObject({
          left: { code: 'identity_not_confirmed', family: 'failed', field },
        })
        expect(JSON.stringify(walk.result)).not.toContain('"at"')
      })
    },
  )
})

describe('what a key may be, on every platform', () => {
  const windows: Platform = { os: 'win32', programData: 'C:\\ProgramData' }
  const directory = 'C:\\ProgramData\\AzureConnectedMachineAgent\\Tokens'

  test.each(['CON.key', 'nul.key', 'COM1.key', 'LPT9.key', 'CON .key', 'a.key:stream', 'a:b.key'])(
    'Windows: %s is a device or an alternate data stream, refused',
    (name) => {
      expect(validateKeyPath(`${directory}\\${name}`, windows)).toMatchObject({ left: { rule: 'name' } })
    },
  )

  test.each([
    ['ends in a newline', `${KEY}\n`],
    ['holds a carriage return', `${KEY}\rX`],
    ['holds a NUL', `${KEY}\u0000`],
  ])('a key that %s is refused before it is sent, the same in every shell', (_case, key) => {
    const walked = walkFor(
      ENV,
      {
        replies: [reply(json(401, {}, { 'WWW-Authenticate': `Basic realm=${GOOD_KEY}` }))],
        files: { [GOOD_KEY]: key },
      },
      { platform: { os: 'linux' } },
    )
    expect(walked.result).toMatchObject({ left: { code: 'arc_key_file', rule: 'content' } })
    expect(walked.steps.filter((step) => step._tag === 'Send')).toHaveLength(1)
  })
})

describe('the request bound across both legs (docs/protocol.md §1.5)', () => {
  test('a first leg that uses up the 12 requests leaves no room for the second: nothing more is sent', async () => {
    const world = fakeWorld({
      files: { [GOOD_KEY]: KEY },
      respond: (request, index) =>
        'Authorization' in request.headers
          ? tokenReply('arc-token')
          : index < 11
            ? json(503, {})
            : json(401, {}, { 'WWW-Authenticate': `Basic realm=${GOOD_KEY}` }),
    })
    const client = createManagedIdentityClient(
      { env: ENV, retry: { maxRetries: 40, initialDelayMs: 0, maxDelayMs: 0 } },
      world.capabilities,
    )
    const result = await client.getToken('https://management.azure.com/.default')
    expect(world.sent).toHaveLength(12)
    expect(result).toMatchObject({ _tag: 'Left', left: { code: 'transport_error', kind: 'other' } })
    // the key named by the 12th reply is read, but never sent
    expect(world.sent.some((request) => 'Authorization' in request.headers)).toBe(false)
  })
})
