/**
 * At most N open connections per origin for the connections no agent pools (pinned requests,
 * requests with their own CA or server name, tunnels through a proxy): the shared agents cap
 * themselves with `maxSockets`, and this does the same for the rest, so thousands of distinct
 * scopes asked for at once cannot open thousands of sockets to one endpoint.
 *
 * A request waits first in, first out for a free place. Its wait is part of its attempt: the
 * attempt's deadline and abort cover it, and an attempt that ends while waiting leaves the
 * queue at once. A place is held until the connection closes, not merely until the reply
 * ends, so the cap counts sockets as the server sees them.
 *
 * @since 0.1.0
 */
import type { Attempt } from './attempt.js'

/** Gives back a place; calling it more than once gives back one place. */
export type Release = () => void

export interface OriginLimiter {
  /** Call `granted` once a place for a connection to `origin` is free (maybe at once). */
  readonly acquire: (origin: string, attempt: Attempt, granted: (release: Release) => void) => void
}

interface Queue {
  open: number
  readonly waiting: Array<(release: Release) => void>
}

/** A limiter allowing `maxPerOrigin` open connections to each origin. */
export const createOriginLimiter = (maxPerOrigin: number): OriginLimiter => {
  const queues = new Map<string, Queue>()

  const grant = (origin: string, queue: Queue, granted: (release: Release) => void): void => {
    queue.open += 1
    let released = false
    granted(() => {
      if (released) return
      released = true
      queue.open -= 1
      const next = queue.waiting.shift()
      if (next !== undefined) grant(origin, queue, next)
      // forget idle origins, so a process that met many endpoints keeps no entry for each
      else if (queue.open === 0) queues.delete(origin)
    })
  }

  return {
    acquire: (origin, attempt, granted) => {
      const queue = queues.get(origin) ?? { open: 0, waiting: [] }
      queues.set(origin, queue)
      if (queue.open < maxPerOrigin) return grant(origin, queue, granted)
      queue.waiting.push(granted)
      attempt.track({
        destroy: () => {
          const index = queue.waiting.indexOf(granted)
          if (index >= 0) queue.waiting.splice(index, 1)
        },
      })
    },
  }
}
