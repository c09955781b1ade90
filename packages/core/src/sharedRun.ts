/**
 * One token request shared by every caller that wants the same scope at the same time.
 *
 * Each caller can give up on its own (its `AbortSignal`); the request itself is cancelled
 * only when the last caller waiting on it has given up. A background refresh has no caller
 * and is never cancelled that way.
 *
 * @since 0.1.0
 */
import type * as E from 'fp-ts/lib/Either.js'
import { left } from 'fp-ts/lib/Either.js'
import { createCancellation, raceAbort } from './cancellation.js'
import type { AbortSignalLike } from './capabilities.js'
import { aborted, type ManagedIdentityError, type SourceName } from './errors.js'
import type { AccessToken } from './token.js'

export type TokenResult = E.Either<ManagedIdentityError, AccessToken>

export interface SharedRun {
  readonly source: SourceName
  readonly promise: Promise<TokenResult>
  readonly cancel: (reason: string) => void
  readonly background: boolean
  waiters: number
}

/** Start `work` with a signal of its own, cancelled when every waiter has aborted. */
export const startSharedRun = (
  source: SourceName,
  background: boolean,
  work: (signal: AbortSignalLike) => Promise<TokenResult>,
): SharedRun => {
  const cancellation = createCancellation()
  return { source, background, promise: work(cancellation.signal), cancel: cancellation.cancel, waiters: 0 }
}

/** Wait for a run, giving up at once if this caller aborts; the last caller out cancels it. */
export const joinRun = (run: SharedRun, signal: AbortSignalLike | undefined): Promise<TokenResult> => {
  run.waiters += 1
  const release = () => {
    run.waiters -= 1
    if (run.waiters === 0 && !run.background) run.cancel('every caller aborted')
  }
  return raceAbort(
    run.promise,
    signal,
    () => left(aborted({ source: run.source, message: 'The token request was aborted by the caller.' })),
    release,
  )
}
