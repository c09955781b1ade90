/**
 * The credential's logic against injected capabilities: one source chosen up front, a token
 * cache per scope, one request in flight per scope however many callers wait on it,
 * background refresh, and the stale-token fallback (protocol.md §5).
 *
 * @since 0.1.0
 */
import * as E from 'fp-ts/lib/Either.js'
import { pipe } from 'fp-ts/lib/function.js'
import { cacheVerdict, fallbackAfterFailure } from './cachePolicy.js'
import type { AbortSignalLike, Capabilities } from './capabilities.js'
import type { Environment } from './environment.js'
import { aborted, type ManagedIdentityError } from './errors.js'
import { type IdentityOptions, identityFromOptions } from './identity.js'
import { createRequestToken, type RequestSettings } from './requestToken.js'
import { singleScope } from './scope.js'
import { selectSource } from './select.js'
import { joinRun, type SharedRun, startSharedRun, type TokenResult } from './sharedRun.js'
import type { Source } from './source.js'
import type { AccessToken } from './token.js'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

export interface ManagedIdentityOptions extends IdentityOptions, RequestSettings {
  /** The environment snapshot to select a source from. */
  readonly env: Environment
  /** Time allowed for one `getToken`, across probe, retries and waits. Default 120 s. */
  readonly deadlineMs?: number | undefined
}

/** The `@azure/core-auth` `GetTokenOptions` fields azmi honours. */
export interface TokenOptions {
  readonly abortSignal?: AbortSignalLike | undefined
  /** Claims from a CAE challenge: the request bypasses the cache. */
  readonly claims?: string | undefined
  /** `timeout` overrides `deadlineMs` for this call. */
  readonly requestOptions?: { readonly timeout?: number | undefined } | undefined
}

export interface ManagedIdentityClient {
  /** The chosen source, or why there is none. Holds secrets: never log it. */
  readonly selection: E.Either<ManagedIdentityError, Source>
  readonly getToken: (
    scopes: string | ReadonlyArray<string>,
    options?: TokenOptions,
  ) => Promise<E.Either<ManagedIdentityError, AccessToken>>
}

export const DEFAULT_DEADLINE_MS = 120_000

// -------------------------------------------------------------------------------------
// constructor
// -------------------------------------------------------------------------------------

export const createManagedIdentityClient = (
  options: ManagedIdentityOptions,
  capabilities: Capabilities,
): ManagedIdentityClient => {
  const selection = pipe(
    identityFromOptions(options),
    E.flatMap((identity) => selectSource(options.env, identity)),
  )
  const log = capabilities.log ?? (() => undefined)
  if (E.isRight(selection)) log({ event: 'source-selected', source: selection.right._tag })
  const requestToken = createRequestToken(options, capabilities)
  const cache = new Map<string, AccessToken>()
  const inFlight = new Map<string, SharedRun>()
  const lastAttemptAt = new Map<string, number>()

  /** Ask the endpoint; a token that comes back is cached, whoever asked. */
  const startRun = (
    source: Source,
    scope: string,
    deadlineMs: number,
    mode: 'shared' | 'background' | 'alone',
  ) => {
    lastAttemptAt.set(scope, capabilities.now())
    const deadline = capabilities.now() + deadlineMs
    const run = startSharedRun(source._tag, mode === 'background', async (signal) => {
      const result = await requestToken(source, scope, deadline, signal)
      if (inFlight.get(scope) === run) inFlight.delete(scope)
      if (E.isRight(result)) {
        cache.set(scope, result.right)
        log({
          event: 'token-cached',
          source: source._tag,
          scope,
          expiresOnTimestamp: result.right.expiresOnTimestamp,
        })
      } else {
        log({
          event: mode === 'background' ? 'refresh-failed' : 'failed',
          source: source._tag,
          scope,
          code: result.left.code,
        })
      }
      return result
    })
    if (mode !== 'alone') inFlight.set(scope, run)
    return run
  }

  const fromEndpoint = async (
    source: Source,
    scope: string,
    deadlineMs: number,
    signal: AbortSignalLike | undefined,
  ) => {
    const cached = cache.get(scope)
    const result = await joinRun(inFlight.get(scope) ?? startRun(source, scope, deadlineMs, 'shared'), signal)
    const fallback = E.isLeft(result)
      ? fallbackAfterFailure(cached, result.left, capabilities.now())
      : undefined
    if (fallback === undefined) return result
    log({ event: 'stale-token-served', source: source._tag, scope })
    return E.right(fallback)
  }

  const getToken: ManagedIdentityClient['getToken'] = async (
    scopes,
    tokenOptions = {},
  ): Promise<TokenResult> => {
    if (E.isLeft(selection)) return selection
    const source = selection.right
    // The cache's keys are scopes that passed `singleScope`, which would return them unchanged:
    // a cached scope skips the check (a regular expression per call, ~15% of a cached call).
    const scope = typeof scopes === 'string' && cache.has(scopes) ? E.right(scopes) : singleScope(scopes)
    if (E.isLeft(scope)) return scope
    if (tokenOptions.abortSignal?.aborted === true) {
      return E.left(aborted({ source: source._tag, message: 'The token request was aborted by the caller.' }))
    }
    const deadlineMs = tokenOptions.requestOptions?.timeout ?? options.deadlineMs ?? DEFAULT_DEADLINE_MS
    if (tokenOptions.claims !== undefined && tokenOptions.claims !== '') {
      return joinRun(startRun(source, scope.right, deadlineMs, 'alone'), tokenOptions.abortSignal)
    }
    const cached = cache.get(scope.right)
    const state = {
      cached,
      lastAttemptAt: lastAttemptAt.get(scope.right),
      requestInFlight: inFlight.has(scope.right),
    }
    switch (cacheVerdict(state, capabilities.now())) {
      case 'serve-and-refresh':
        log({ event: 'refresh-started', source: source._tag, scope: scope.right })
        startRun(source, scope.right, deadlineMs, 'background')
        return E.right(cached as AccessToken)
      case 'serve':
        return E.right(cached as AccessToken)
      case 'serve-stale':
        log({ event: 'stale-token-served', source: source._tag, scope: scope.right })
        return E.right(cached as AccessToken)
      case 'fetch':
        return fromEndpoint(source, scope.right, deadlineMs, tokenOptions.abortSignal)
    }
  }

  return { selection, getToken }
}
