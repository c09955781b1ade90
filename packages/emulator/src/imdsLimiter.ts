/**
 * The managed-identity limits IMDS documents — 20 requests per second and 5 concurrent
 * requests per VM (`docs/protocol.md §5.1`) — enforced on the emulated IMDS token endpoint: a
 * request beyond either is answered 429 with a `Retry-After`. Only requests the limiter
 * serves count towards the limits; a 429 costs IMDS next to nothing.
 *
 * @see https://learn.microsoft.com/azure/virtual-machines/instance-metadata-service#rate-limiting
 * @module
 */
import type { ImdsLimits } from './model.js'
import { oauthError, type Reply, withHeaders } from './reply.js'

/** What the limiter decided for one request. */
export type Admission =
  /** Serve it; call `release` when its answer is finished. */
  { readonly _tag: 'admitted'; release(): void } | { readonly _tag: 'throttled'; readonly reply: Reply }

/** The limiter of one IMDS endpoint. */
export interface ImdsLimiter {
  /** Decides for a token request arriving now. */
  admit(): Admission
}

const windowMs = 1000

const isCount = (value: number | undefined, minimum: number): boolean =>
  value !== undefined && Number.isSafeInteger(value) && value >= minimum

/** Why `limits` cannot be enforced, or `undefined` when they can. */
export const limitsProblem = (limits: ImdsLimits): string | undefined => {
  if (!isCount(limits.requestsPerSecond, 1)) return 'requestsPerSecond must be a whole number ≥ 1'
  if (!isCount(limits.concurrent, 1)) return 'concurrent must be a whole number ≥ 1'
  if (limits.retryAfterSeconds !== undefined && !isCount(limits.retryAfterSeconds, 0))
    return 'retryAfterSeconds must be a whole number ≥ 0'
  return undefined
}

/** In IMDS's own error shape, the OAuth one. */
const throttledReply = (limits: ImdsLimits, reason: string): Reply =>
  withHeaders(
    oauthError(
      429,
      'too_many_requests',
      `Too many requests: ${reason} (limits: ${limits.concurrent} concurrent, ${limits.requestsPerSecond} per second)`,
    ),
    { 'retry-after': String(limits.retryAfterSeconds ?? 1) },
  )

/** A limiter with nothing served yet; `now` is the clock (milliseconds). */
export const createImdsLimiter = (limits: ImdsLimits, now: () => number): ImdsLimiter => {
  let serving = 0
  // Arrival times of the requests served in the last second, oldest first.
  let served: number[] = []
  return {
    admit() {
      const at = now()
      served = served.filter((time) => at - time < windowMs)
      if (serving >= limits.concurrent)
        return { _tag: 'throttled', reply: throttledReply(limits, `${serving} requests in flight`) }
      if (served.length >= limits.requestsPerSecond)
        return {
          _tag: 'throttled',
          reply: throttledReply(limits, `${served.length} requests in the last second`),
        }
      serving += 1
      served.push(at)
      let released = false
      return {
        _tag: 'admitted',
        release() {
          if (released) return
          released = true
          serving -= 1
        },
      }
    },
  }
}
