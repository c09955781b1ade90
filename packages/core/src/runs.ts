/**
 * A credential's runs: starting a request for a scope with a signal of its own, settling the
 * scope's state when it ends (and throttle memory, when the endpoint answered 429 or 5xx), and
 * waiting on it as one of its callers (docs/protocol.md §5).
 *
 * @since 0.2.0
 */
import * as E from 'fp-ts/lib/Either.js'
import { createCancellation, raceAbort } from './cancellation.js'
import type { AbortSignalLike, Capabilities, LogEvent } from './capabilities.js'
import type { ManagedIdentityOptions, TokenResult } from './client.js'
import { aborted, type ManagedIdentityError, transportError } from './errors.js'
import { callHook } from './hooks.js'
import { maskedWherever } from './redact.js'
import { type RequestMemory, requestToken } from './requestToken.js'
import { emptyScope, leave, type Run, type RunOutcome, type ScopeState, settle } from './scopeState.js'
import type { Source } from './sourceList.js'
import { heldBack, type ThrottleWindow, windowAfter } from './throttle.js'
import type { CallSpan } from './tracing.js'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/** One credential: its choice of source, its settings, and its state. */
export interface Credential {
  readonly source: Source
  readonly options: ManagedIdentityOptions
  readonly capabilities: Capabilities
  /** The credential's state: one record per scope, and what its requests remember. */
  readonly scopes: Map<string, ScopeState>
  readonly memory: RequestMemory
  /** Endpoints held back after a 429 or 5xx, by URL without the query. */
  readonly throttle: Map<string, ThrottleWindow>
  readonly runIds: { next: number }
}

/** What one call needs to ask the endpoint. */
export interface Call {
  readonly scope: string
  readonly deadlineMs: number
  readonly signal: AbortSignalLike | undefined
  /** Claims from a CAE challenge: the call bypasses the cache and throttle memory. */
  readonly claims: string | undefined
  /** The call's span: the attempts of a run it starts are its children. */
  readonly span: CallSpan
}

// -------------------------------------------------------------------------------------
// state
// -------------------------------------------------------------------------------------

/** Report `event` to the caller's logger; a throwing logger is ignored. */
export const emit = (credential: Credential, event: LogEvent): void =>
  callHook(credential.capabilities.log, [event], undefined)

/** Move the scope's state by `change`. */
export const update = (
  credential: Credential,
  scope: string,
  change: (state: ScopeState) => ScopeState,
): void => {
  credential.scopes.set(scope, change(credential.scopes.get(scope) ?? emptyScope))
}

/** The error of a call its caller aborted. */
export const abortedError = (credential: Credential): ManagedIdentityError =>
  aborted({ source: credential.source._tag, message: 'The token request was aborted by the caller.' })

/** Why a request to `endpoint` must not be sent now, if the endpoint is held back. */
const throttleGate = (credential: Credential) => (endpoint: string) => {
  const window = credential.throttle.get(endpoint)
  if (window === undefined) return undefined
  const source = credential.source._tag
  if (credential.capabilities.now() < window.until) {
    emit(credential, { event: 'throttled', source, endpoint, status: window.status, until: window.until })
    return heldBack(source, window)
  }
  credential.throttle.delete(endpoint)
  emit(credential, { event: 'throttle-closed', source, endpoint })
  return undefined
}

/** After a failed run whose last reply was 429 or 5xx, hold its endpoint back. */
const remember = (credential: Credential, outcome: RunOutcome): void => {
  const { result, lastReply } = outcome
  if (E.isRight(result) || lastReply === undefined || result.left._tag === 'Throttled') return
  const window = windowAfter(result.left, lastReply, credential.capabilities.now())
  if (window === undefined) return
  credential.throttle.set(lastReply.endpoint, window)
  const { status, until, requestId } = window
  emit(credential, {
    event: 'throttle-opened',
    source: credential.source._tag,
    endpoint: lastReply.endpoint,
    status,
    until,
    requestId,
  })
}

/** What happens when a run ends: the scope's state settles, throttle memory learns, the outcome is logged. */
const afterRun = (
  credential: Credential,
  call: Call,
  id: number,
  background: boolean,
  outcome: RunOutcome,
) => {
  const { result } = outcome
  update(credential, call.scope, (state) => settle(state, id, E.isRight(result) ? result.right : undefined))
  if (call.claims === undefined) remember(credential, outcome)
  const source = credential.source._tag
  const { scope } = call
  emit(
    credential,
    E.isRight(result)
      ? { event: 'token-cached', source, scope, expiresOnTimestamp: result.right.expiresOnTimestamp }
      : { event: background ? 'refresh-failed' : 'failed', source, scope, code: result.left.code },
  )
}

// -------------------------------------------------------------------------------------
// runs
// -------------------------------------------------------------------------------------

/** A run must settle with an outcome: should the request ever throw (a bug), it becomes a failure. */
const unexpected = (credential: Credential, error: unknown): RunOutcome => ({
  result: E.left(
    transportError({
      source: credential.source._tag,
      kind: 'other',
      message: `The token request failed unexpectedly: ${error instanceof Error ? error.message : String(error)}`,
    }),
  ),
  requests: 0,
})

/**
 * The opaque tokens the credential holds, to keep out of a failed run's error (docs/protocol.md
 * §1.5); JWTs are masked in every quoted reply anyway.
 */
const issuedTokensOf = (credential: Credential): ReadonlyArray<string> =>
  [...credential.scopes.values()].flatMap((state) =>
    state.token === undefined || maskedWherever(state.token.token) ? [] : [state.token.token],
  )

/** Ask the endpoint for `call.scope`, with a signal of the run's own. */
export const launch = (credential: Credential, call: Call, background: boolean): Run => {
  const id = credential.runIds.next++
  const cancellation = createCancellation()
  const { options, capabilities, memory, source } = credential
  const revokedToken = call.claims === undefined ? undefined : credential.scopes.get(call.scope)?.token?.token
  const request = {
    ...call,
    source,
    signal: cancellation.signal,
    background,
    revokedToken,
    issuedTokens: issuedTokensOf(credential),
    throttled: call.claims === undefined ? throttleGate(credential) : undefined,
    onAttempt: call.span.attempt,
  }
  const outcome = requestToken(options, capabilities, memory, request)
    .catch((error: unknown) => unexpected(credential, error))
    .then((ended) => {
      afterRun(credential, call, id, background, ended)
      return ended
    })
  return { id, background, waiters: 0, outcome, cancel: cancellation.cancel }
}

/** Wait on `run` as one of its callers; a caller that aborts leaves it (and the last one out cancels it). */
export const waitOn = (
  credential: Credential,
  scope: string | undefined,
  run: Run,
  signal: AbortSignalLike | undefined,
): Promise<RunOutcome> =>
  raceAbort(
    run.outcome,
    signal,
    (): RunOutcome => ({ result: E.left(abortedError(credential)) satisfies TokenResult, requests: 0 }),
    () => {
      if (scope === undefined) return run.cancel('the caller aborted')
      const { state, abandoned } = leave(credential.scopes.get(scope) ?? emptyScope, run.id)
      credential.scopes.set(scope, state)
      abandoned?.cancel('every caller aborted')
    },
  )
