/**
 * What a fault does to one answer, decided as data before any byte is written: a
 * {@link Delivery} says which reply goes out and how (at once, late, slowly, partly, or
 * never). `deliver.ts` carries it out on the socket.
 *
 * @module
 */
import type { Environment } from './environments/Environment.js'
import type { Fault } from './model.js'
import { emptyReply, jsonReply, oauthError, overridden, type Reply, type ReplyOverrides } from './reply.js'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/** How one reply reaches the client. */
export type Delivery =
  /** The reply in `chunks` pieces, the first after `delayMs`, the rest `intervalMs` apart. */
  | {
      readonly _tag: 'send'
      readonly reply: Reply
      readonly delayMs: number
      readonly chunks: number
      readonly intervalMs: number
    }
  | { readonly _tag: 'hang' }
  | { readonly _tag: 'dropBeforeHeaders' }
  /** Headers announcing the whole body, half of it, then the socket is destroyed. */
  | { readonly _tag: 'dropMidBody'; readonly reply: Reply }
  /** A 200 streamed without `content-length`, so that only counting bytes can stop it. */
  | { readonly _tag: 'oversized'; readonly bytes: number }

/** The replies a fault may need, computed only when it needs them (a challenge writes a key file). */
export interface Answers {
  /** What the environment answers when nothing misbehaves. */
  normal(): Reply
  /** The normal answer, except that any token in it expired an hour ago. */
  expired(): Reply
  /** The normal answer, for and naming the identity the request did not ask for. */
  lying(): Reply
  /** Azure Arc's challenge naming `realm`; only Arc has one. */
  challenge?(realm: string): Reply
}

// -------------------------------------------------------------------------------------
// constructors
// -------------------------------------------------------------------------------------

/** `reply` in one piece, after `delayMs`. */
export const sendNow = (reply: Reply, delayMs = 0): Delivery => ({
  _tag: 'send',
  reply,
  delayMs,
  chunks: 1,
  intervalMs: 0,
})

const faultReply = (fault: { readonly status: number } & ReplyOverrides): Reply =>
  overridden(
    oauthError(fault.status, 'emulated_fault', `The emulator was scripted to answer ${fault.status}`),
    fault,
  )

const parseObject = (text: string): Record<string, unknown> => {
  try {
    const parsed: unknown = JSON.parse(text)
    return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : {}
  } catch {
    return {}
  }
}

/** A 200 carrying the normal reply's JSON fields except `access_token`. */
const withoutAccessToken = (reply: Reply): Reply => {
  const { access_token: _removed, ...rest } = parseObject(reply.body)
  return jsonReply(200, rest)
}

const malformedReply = (
  kind: 'not-json' | 'no-access-token' | 'wrong-content-type' | 'expired',
  answers: Answers,
) => {
  switch (kind) {
    case 'not-json':
      // Declared JSON on purpose: the client must check the body, not trust the header.
      return { ...jsonReply(200, null), body: '<html><body>Service Unavailable</body></html>' }
    case 'no-access-token':
      return withoutAccessToken(answers.normal())
    case 'wrong-content-type': {
      const normal = answers.normal()
      return { ...normal, headers: { ...normal.headers, 'content-type': 'text/html; charset=utf-8' } }
    }
    case 'expired':
      return answers.expired()
  }
}

/** Decides how a request is answered under `fault` (`undefined`: no fault, the normal answer). */
export const planDelivery = (fault: Fault | undefined, answers: Answers): Delivery => {
  if (fault === undefined) return sendNow(answers.normal())
  if ('status' in fault) return sendNow(faultReply(fault))
  if ('delayMs' in fault) return sendNow(answers.normal(), fault.delayMs)
  if ('hang' in fault) return { _tag: 'hang' }
  if ('drop' in fault)
    return fault.drop === 'before-headers'
      ? { _tag: 'dropBeforeHeaders' }
      : { _tag: 'dropMidBody', reply: answers.normal() }
  if ('trickle' in fault) return { ...sendNow(answers.normal()), ...fault.trickle }
  if ('oversizedBodyBytes' in fault) return { _tag: 'oversized', bytes: fault.oversizedBodyBytes }
  if ('malformed' in fault) return sendNow(malformedReply(fault.malformed, answers))
  if ('redirectTo' in fault) return sendNow(emptyReply(302, { location: fault.redirectTo }))
  if ('lie' in fault) return sendNow(answers.lying())
  if (answers.challenge === undefined) throw new Error('Only Azure Arc answers with a challenge realm')
  return sendNow(answers.challenge(fault.arcRealm))
}

// -------------------------------------------------------------------------------------
// validation
// -------------------------------------------------------------------------------------

const isCount = (value: number, minimum: number): boolean => Number.isSafeInteger(value) && value >= minimum

/** Why `fault` cannot be scripted for `environment`, or `undefined` when it can. */
export const faultProblem = (environment: Environment, fault: Fault): string | undefined => {
  if ('status' in fault)
    return isCount(fault.status, 100) && fault.status <= 999 ? undefined : 'status must be 100-999'
  if ('delayMs' in fault) return isCount(fault.delayMs, 0) ? undefined : 'delayMs must be a whole number ≥ 0'
  if ('trickle' in fault) {
    const { chunks, intervalMs } = fault.trickle
    return isCount(chunks, 1) && isCount(intervalMs, 0)
      ? undefined
      : 'trickle needs chunks ≥ 1 and intervalMs ≥ 0'
  }
  if ('oversizedBodyBytes' in fault)
    return isCount(fault.oversizedBodyBytes, 1) ? undefined : 'oversizedBodyBytes must be a whole number ≥ 1'
  if ('arcRealm' in fault && environment.challenge === undefined) return 'arcRealm applies to AzureArc only'
  if ('lie' in fault && !environment.canLie) return `${environment.name} names no identity to lie about`
  return undefined
}
