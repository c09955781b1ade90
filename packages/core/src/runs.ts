/**
 * A credential's runs: starting a request for a scope with a signal of its own, settling the
 * scope's state when it ends, and waiting on it as one of its callers (docs/protocol.md §5).
 *
 * @since 0.2.0
 */
import * as E from 'fp-ts/lib/Either.js'
import { createCancellation, raceAbort } from './cancellation.js'
import type { AbortSignalLike, Capabilities, LogEvent } from './capabilities.js'
import type { ManagedIdentityOptions, TokenResult } from './client.js'
import { aborted, type ManagedIdentityError, transportError } from './errors.js'
import { callHook } from './hooks.js'
import { type RequestMemory, requestToken } from './requestToken.js'
import { emptyScope, leave, type Run, type RunOutcome, type ScopeState, settle } from './scopeState.js'
import type { Source } from './sourceList.js'

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
  readonly runIds: { next: number }
}

/** What one call needs to ask the endpoint. */
export interface Call {
  readonly scope: string
  readonly deadlineMs: number
  readonly signal: AbortSignalLike | undefined
}

// -------------------------------------------------------------------------------------
// runs
// -------------------------------------------------------------------------------------

export const emit = (credential: Credential, event: LogEvent): void =>
  callHook(credential.capabilities.log, [event], undefined)

export const update = (
  credential: Credential,
  scope: string,
  change: (state: ScopeState) => ScopeState,
): void => {
  credential.scopes.set(scope, change(credential.scopes.get(scope) ?? emptyScope))
}

export const abortedError = (credential: Credential): ManagedIdentityError =>
  aborted({ source: credential.source._tag, message: 'The token request was aborted by the caller.' })

/** What happens when a run ends: the scope's state settles, and the outcome is logged. */
const afterRun = (
  credential: Credential,
  scope: string,
  id: number,
  background: boolean,
  outcome: RunOutcome,
) => {
  const { result } = outcome
  update(credential, scope, (state) => settle(state, id, E.isRight(result) ? result.right : undefined))
  const source = credential.source._tag
  emit(
    credential,
    E.isRight(result)
      ? { event: 'token-cached', source, scope, expiresOnTimestamp: result.right.expiresOnTimestamp }
      : { event: background ? 'refresh-failed' : 'failed', source, scope, code: result.left.code },
  )
}

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

/** Ask the endpoint for `call.scope`, with a signal of the run's own. */
export const launch = (credential: Credential, call: Call, background: boolean): Run => {
  const id = credential.runIds.next++
  const cancellation = createCancellation()
  const { options, capabilities, memory, source } = credential
  const request = { scope: call.scope, deadlineMs: call.deadlineMs, source, signal: cancellation.signal }
  const outcome = requestToken(options, capabilities, memory, request)
    .catch((error: unknown) => unexpected(credential, error))
    .then((ended) => {
      afterRun(credential, call.scope, id, background, ended)
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
) =>
  raceAbort(
    run.outcome.then((outcome) => outcome.result),
    signal,
    (): TokenResult => E.left(abortedError(credential)),
    () => {
      if (scope === undefined) return run.cancel('the caller aborted')
      const scopeState = credential.scopes.get(scope) ?? emptyScope
      const { state, abandoned } = leave(scopeState, run.id)
      credential.scopes.set(scope, state)
      abandoned?.cancel('every caller aborted')
    },
  )
