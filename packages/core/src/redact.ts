/**
 * Keeping secrets out of errors and logs, in time linear in the text (docs/protocol.md §1.5).
 *
 * Two layers. The interpreter scrubs every reply of the secrets a run knows (identity headers,
 * the Arc key, the federated token), in every spelling an endpoint could echo them in, before
 * a plan sees it; so nothing a plan quotes or cuts afterwards can reveal part of one. Then a
 * body quoted in an error loses its token fields and anything shaped like a JWT, and is cut to
 * 1000 characters. Secrets shorter than 4 characters are not scrubbed: replacing every "a"
 * would garble the text and protect nothing.
 *
 * @since 0.1.0
 */

/** Longest quote of a reply body in an error. */
const MAX_QUOTED_BODY = 1000
/** What a quote that was cut ends with. */
const TRUNCATED = '... (truncated)'
/**
 * How far past the quote a body is redacted: room for masks to shorten the text and still fill
 * the quote. Redacting a whole 1 MiB body only to quote 1000 characters of it cost tens of
 * milliseconds of blocked event loop.
 */
const REDACTED_PAST_QUOTE = 4 * 1024
/** Secrets shorter than this are not scrubbed. */
const MIN_SECRET_LENGTH = 4
const MASK = '****'
const TOKEN_KEYS: ReadonlySet<string> = new Set([
  'access_token',
  'refresh_token',
  'id_token',
  'client_assertion',
])

// -------------------------------------------------------------------------------------
// secrets
// -------------------------------------------------------------------------------------

const hex4 = (code: number) => code.toString(16).padStart(4, '0')

/** Every character but letters and digits as `\uXXXX`, as some JSON writers (.NET) escape them. */
const unicodeEscaped = (text: string, upper: boolean): string =>
  text.replace(/[^A-Za-z0-9]/g, (character) => {
    const escaped = `\\u${hex4(character.charCodeAt(0))}`
    return upper ? escaped.toUpperCase().replace('\\U', '\\u') : escaped
  })

const spellingsOf = (text: string): ReadonlyArray<string> => {
  const json = JSON.stringify(text).slice(1, -1)
  const uri = encodeURIComponent(text)
  return [
    text,
    json,
    json.replace(/\//g, '\\/'),
    uri,
    uri.replace(/%[0-9A-F]{2}/g, (code) => code.toLowerCase()),
    uri.replace(/%20/g, '+'),
    unicodeEscaped(text, false),
    unicodeEscaped(text, true),
  ]
}

/**
 * The spellings an endpoint could echo `secret` in: as sent, trimmed, JSON-escaped (three
 * ways), URL- and form-encoded. Empty when the secret is too short to scrub.
 */
export const secretSpellings = (secret: string): ReadonlyArray<string> =>
  secret.length < MIN_SECRET_LENGTH
    ? []
    : [...new Set([...spellingsOf(secret), ...spellingsOf(secret.trim())])].filter(
        (spelling) => spelling.length >= MIN_SECRET_LENGTH,
      )

/** All spellings of all `secrets`, longest first, so a secret containing another is masked whole. */
export const spellingsOfAll = (secrets: ReadonlyArray<string>): ReadonlyArray<string> =>
  [...new Set(secrets.flatMap(secretSpellings))].sort((a, b) => b.length - a.length)

/**
 * A quote cut in the middle of `spelling` ends with its first characters: mask them too (at
 * least 4 of them, as for whole secrets). Linear: only places where the spelling's first four
 * characters stand, within its length of the cut, are compared.
 */
const maskCutSpelling = (text: string, spelling: string): string => {
  if (!text.endsWith(TRUNCATED)) return text
  const head = text.slice(0, -TRUNCATED.length)
  const opening = spelling.slice(0, MIN_SECRET_LENGTH)
  const from = Math.max(0, head.length - spelling.length + 1)
  for (let at = head.indexOf(opening, from); at >= 0; at = head.indexOf(opening, at + 1))
    if (spelling.startsWith(head.slice(at))) return `${head.slice(0, at)}${MASK}${TRUNCATED}`
  return text
}

/** Replace every occurrence of each spelling in `text` with `****`. Each spelling costs one pass. */
export const maskSpellings = (text: string, spellings: ReadonlyArray<string>): string =>
  spellings.reduce(
    (masked, spelling) =>
      maskCutSpelling(masked.includes(spelling) ? masked.split(spelling).join(MASK) : masked, spelling),
    text,
  )

/** Replace every spelling of each secret in `text` with `****`. */
export const scrubText = (text: string, secrets: ReadonlyArray<string>): string =>
  maskSpellings(text, spellingsOfAll(secrets))

const scrubValue = (value: unknown, spellings: ReadonlyArray<string>, depth: number): unknown => {
  if (typeof value === 'string') return maskSpellings(value, spellings)
  if (depth >= 3 || typeof value !== 'object' || value === null) return value
  if (Array.isArray(value)) return value.map((item) => scrubValue(item, spellings, depth + 1))
  return Object.fromEntries(
    Object.entries(value).map(([key, item]) => [key, scrubValue(item, spellings, depth + 1)]),
  )
}

/** Scrub every string of a record (an error or a log event) and of the records and arrays inside it. */
export const scrubRecord = <R extends object>(record: R, secrets: ReadonlyArray<string>): R => {
  const spellings = spellingsOfAll(secrets)
  return spellings.length === 0 ? record : (scrubValue(record, spellings, 0) as R)
}

// -------------------------------------------------------------------------------------
// reply bodies
// -------------------------------------------------------------------------------------

/**
 * String fields in JSON-like text that is not valid JSON: a quoted key (escapes allowed, at most
 * 64 characters, so each position costs a bounded look) and its string value; a missing
 * closing quote takes the value to the end.
 */
const QUOTED_FIELD = /("((?:[^"\\\n]|\\.){1,64})"\s*:\s*)"(?:[^"\\]|\\.)*"?/g
/** The same in form or query syntax: a key of up to 64 characters, percent-escapes allowed. */
const FORM_FIELD = /(^|[^A-Za-z0-9_.%-])([A-Za-z0-9_.%-]{1,64})=[^&\s"]+/g

/** `key` as the endpoint meant it, whatever escapes spelled it; `undefined` if it does not decode. */
const decodedKey = (key: string, decode: (text: string) => string): string | undefined => {
  try {
    return decode(key)
  } catch {
    return undefined
  }
}

/** Whether the key, once its JSON escapes are read, names a token field. */
const isJsonTokenKey = (key: string): boolean =>
  TOKEN_KEYS.has(decodedKey(key, (text) => JSON.parse(`"${text}"`) as string) ?? key)

/** Whether the key, once its percent-escapes are read, names a token field. */
const isFormTokenKey = (key: string): boolean => TOKEN_KEYS.has(decodedKey(key, decodeURIComponent) ?? key)

/** Mask the token fields of text that is not valid JSON, however their keys are spelled. */
const maskTokenText = (text: string): string =>
  text
    .replace(QUOTED_FIELD, (field, prefix: string, key: string) =>
      isJsonTokenKey(key) ? `${prefix}"${MASK}"` : field,
    )
    .replace(FORM_FIELD, (field, lead: string, key: string) =>
      isFormTokenKey(key) ? `${lead}${key}=${MASK}` : field,
    )
/** Maximal runs of the characters a JWT is made of: each character is looked at once. */
const TOKEN_RUN = /[A-Za-z0-9_.-]+/g

/** Whether `run` (of JWT characters) holds `eyJ` followed by two dots: it is, or contains, a JWT. */
const holdsJwt = (run: string): boolean => {
  const start = run.indexOf('eyJ')
  if (start < 0) return false
  const firstDot = run.indexOf('.', start)
  return firstDot >= 0 && run.indexOf('.', firstDot + 1) >= 0
}

/** A run holding a JWT is masked whole. */
const maskJwts = (text: string): string => text.replace(TOKEN_RUN, (run) => (holdsJwt(run) ? MASK : run))

/**
 * Whether every quoted reply masks `token` on its own, wherever it appears: a JWT, whose
 * characters all form one run. Other (opaque) tokens need scrubbing by value.
 */
export const maskedWherever = (token: string): boolean => /^[A-Za-z0-9_.-]+$/.test(token) && holdsJwt(token)

/** Mask the token fields of parsed JSON, whatever escapes spelled their keys. Iterative: no depth limit. */
const maskTokenFields = (root: unknown): unknown => {
  const pending: Array<unknown> = [root]
  while (pending.length > 0) {
    const node = pending.pop()
    if (typeof node !== 'object' || node === null) continue
    const record = node as Record<string, unknown>
    for (const key of Object.keys(record)) {
      if (TOKEN_KEYS.has(key) && typeof record[key] === 'string') record[key] = MASK
      else pending.push(record[key])
    }
  }
  return root
}

const redactJson = (body: string): string | undefined => {
  try {
    return JSON.stringify(maskTokenFields(JSON.parse(body)))
  } catch {
    return undefined
  }
}

/** Where the run of JWT characters going on at `at` ends: a cut there splits no token. */
const endOfRun = (text: string, at: number): number => {
  const run = /[A-Za-z0-9_.-]*/y
  run.lastIndex = at
  run.exec(text)
  return run.lastIndex
}

/**
 * A reply body fit to quote in an error: token values and JWTs replaced by `****`, then cut to
 * 1000 characters. Valid JSON is masked by key, which takes all of it; other text is redacted
 * only as far as the quote can reach (4 KiB past it, never cutting a run of token characters),
 * so a hostile 1 MiB body costs about as much as a small one.
 */
export const redactBody = (body: string): string => {
  const json = redactJson(body)
  const text = json ?? body
  const reach = MAX_QUOTED_BODY + REDACTED_PAST_QUOTE
  const window = text.length > reach ? text.slice(0, endOfRun(text, reach)) : text
  const fields = json === undefined ? maskTokenText(window) : window
  const redacted = maskJwts(fields)
  return redacted.length > MAX_QUOTED_BODY || window.length < text.length
    ? `${redacted.slice(0, MAX_QUOTED_BODY)}${TRUNCATED}`
    : redacted
}
