/**
 * The state of one scope in a credential, as one immutable record, and its named transitions
 * (docs/protocol.md §5): a request **starts**, more callers **join** it, callers **leave** it
 * (the last one out of a foreground request abandons it), and it **settles**. A background
 * refresh is a run that no caller waits on.
 *
 * @since 0.2.0
 */
import type { Either } from 'fp-ts/lib/Either.js'
import type { ManagedIdentityError } from './errors.js'
import type { LastReply } from './interpret.js'
import type { AccessToken } from './token.js'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/** What a run of the source's plan ends with. */
export interface RunOutcome {
  readonly result: Either<ManagedIdentityError, AccessToken>
  /** Requests the run sent. */
  readonly requests: number
  /** The last reply it received, if its last request got one (for throttle memory). */
  readonly lastReply?: LastReply | undefined
}

/** One request to the endpoint, shared by every caller that wants the scope meanwhile. */
export interface Run {
  readonly id: number
  /** A background refresh: no caller waits on it, and none can abandon it. */
  readonly background: boolean
  /** Callers waiting on it now. */
  readonly waiters: number
  /** Settles when the run ends; never rejects. */
  readonly outcome: Promise<RunOutcome>
  /** Stop the run: its plan ends with `Aborted` at the next step. */
  readonly cancel: (reason: string) => void
}

export interface ScopeState {
  /** The cached token, if any. */
  readonly token?: AccessToken
  /** The request in flight, if any. */
  readonly run?: Run
  /** When the endpoint was last asked for this scope. */
  readonly lastAttemptAt?: number
}

export const emptyScope: ScopeState = {}

// -------------------------------------------------------------------------------------
// transitions
// -------------------------------------------------------------------------------------

/** `run` starts: it is the scope's request in flight, and the scope was just attempted. */
export const start = (state: ScopeState, run: Run, now: number): ScopeState => ({
  ...state,
  run,
  lastAttemptAt: now,
})

/** A caller starts waiting on the scope's run. */
export const join = (state: ScopeState): ScopeState =>
  state.run === undefined ? state : { ...state, run: { ...state.run, waiters: state.run.waiters + 1 } }

/**
 * A caller of run `id` stops waiting (it aborted). When it was the last one and the run is a
 * foreground one, the run is abandoned: detached at once, so that a caller arriving next
 * starts a fresh request instead of inheriting the abort.
 */
export const leave = (
  state: ScopeState,
  id: number,
): { readonly state: ScopeState; readonly abandoned?: Run } => {
  const { run } = state
  if (run === undefined || run.id !== id) return { state }
  const left = { ...run, waiters: run.waiters - 1 }
  if (left.waiters > 0 || left.background) return { state: { ...state, run: left } }
  const { run: _abandoned, ...rest } = state
  return { state: rest, abandoned: run }
}

/** Run `id` ended: it is no longer in flight, and a token it brought is cached. */
export const settle = (state: ScopeState, id: number, token: AccessToken | undefined): ScopeState => {
  const withToken = token === undefined ? state : { ...state, token }
  if (withToken.run?.id !== id) return withToken
  const { run: _settled, ...rest } = withToken
  return rest
}
