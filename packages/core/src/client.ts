/**
 * The credential's logic against injected capabilities: one source chosen up front, a token
 * cache per scope, one request in flight per scope however many callers wait on it,
 * background refresh, and the stale-token fallback (protocol.md §5).
 *
 * @since 0.1.0
 */
import * as E from 'fp-ts/lib/Either.js'
import { pipe } from 'fp-ts/lib/function.js'
import { createCancellation, raceAbort } from './cancellation.js'
import type { AbortSignalLike, Capabilities } from './capabilities.js'
import type { Environment } from './environment.js'
import { aborted, type ManagedIdentityError } from './errors.js'
import { type IdentityOptions, identityFromOptions } from './identity.js'
import { type FileCopy, type RunContext, runPlan } from './interpret.js'
import { scrubRecord } from './redact.js'
import type { RetryOptions } from './retry.js'
import { singleScope } from './scope.js'
import { moduleOf, selectSource } from './select.js'
import type { Source, TokenRequest } from './source.js'
import type { AccessToken } from './token.js'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

export interface ManagedIdentityOptions extends IdentityOptions {
  /** The environment snapshot to select a source from. */
  readonly env: Environment
  /** Probe IMDS with a short request before the first token request (a chain wants this). */
  readonly probe?: boolean | undefined
  /** Timeout of each attempt, connect through last byte. Default 10 s. */
  readonly timeoutMs?: number | undefined
  /** Timeout of the IMDS probe. Default 1 s. */
  readonly probeTimeoutMs?: number | undefined
  /** Time allowed for one `getToken`, across probe, retries and waits. Default 120 s. */
  readonly deadlineMs?: number | undefined
  readonly retry?: RetryOptions | undefined
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

export const DEFAULT_TIMEOUT_MS = 10_000
export const DEFAULT_PROBE_TIMEOUT_MS = 1_000
export const DEFAULT_DEADLINE_MS = 120_000
/** A token this close to expiry is not served from the cache without trying to renew it. */
export const EXPIRY_MARGIN_MS = 5 * 60 * 1000
/** At most one refresh attempt per scope in this interval. */
export const REFRESH_INTERVAL_MS = 30 * 1000

interface SharedRun {
  readonly source: Source['_tag']
  readonly promise: Promise<E.Either<ManagedIdentityError, AccessToken>>
  readonly cancel: (reason: string) => void
  readonly background: boolean
  waiters: number
}

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
  if (E.isRight(selection)) capabilities.log?.({ event: 'source-selected', source: selection.right._tag })
  const log = capabilities.log ?? (() => undefined)
  const cache = new Map<string, AccessToken>()
  const inFlight = new Map<string, SharedRun>()
  const lastAttempt = new Map<string, number>()
  const fileCache = new Map<string, FileCopy>()
  let preflightPassed = false

  const fetchToken = async (source: Source, scope: string, deadline: number, signal: AbortSignalLike) => {
    const module = moduleOf(source)
    const request: TokenRequest = {
      scope,
      timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      probeTimeoutMs: options.probeTimeoutMs ?? DEFAULT_PROBE_TIMEOUT_MS,
      retry: options.retry,
      deadline,
      platform: capabilities.platform,
    }
    const context: RunContext = {
      capabilities,
      source: source._tag,
      signal,
      deadline,
      fileCache,
      secrets: [],
    }
    const scrub = (error: ManagedIdentityError) =>
      scrubRecord(error, [...module.secrets(source), ...context.secrets])
    if (options.probe === true && !preflightPassed && module.preflight !== undefined) {
      const probed = await runPlan(module.preflight(source, request), context)
      log({ event: E.isRight(probed) ? 'probe-succeeded' : 'probe-failed', source: source._tag })
      if (E.isLeft(probed)) return E.left(scrub(probed.left))
      preflightPassed = true
    }
    const result = await runPlan(module.plan(source, request), context)
    if (E.isRight(result)) {
      cache.set(scope, result.right)
      log({
        event: 'token-cached',
        source: source._tag,
        scope,
        expiresOnTimestamp: result.right.expiresOnTimestamp,
      })
      return result
    }
    const error = scrub(result.left)
    log({ event: 'failed', source: source._tag, scope, code: error.code })
    return E.left(error)
  }

  const startRun = (
    source: Source,
    scope: string,
    deadlineMs: number,
    shared: boolean,
    background: boolean,
  ) => {
    const cancellation = createCancellation()
    lastAttempt.set(scope, capabilities.now())
    const run: SharedRun = {
      source: source._tag,
      promise: fetchToken(source, scope, capabilities.now() + deadlineMs, cancellation.signal).finally(() => {
        if (inFlight.get(scope) === run) inFlight.delete(scope)
      }),
      cancel: cancellation.cancel,
      background,
      waiters: 0,
    }
    if (shared) inFlight.set(scope, run)
    return run
  }

  /** Wait for a run, giving up at once if this caller aborts; the last caller out cancels it. */
  const join = (run: SharedRun, signal: AbortSignalLike | undefined) => {
    run.waiters += 1
    const release = () => {
      run.waiters -= 1
      if (run.waiters === 0 && !run.background) run.cancel('every caller aborted')
    }
    return raceAbort(
      run.promise,
      signal,
      () => E.left(aborted({ source: run.source, message: 'The token request was aborted by the caller.' })),
      release,
    )
  }

  const refreshInBackground = (source: Source, scope: string, deadlineMs: number) => {
    if (inFlight.has(scope)) return
    log({ event: 'refresh-started', source: source._tag, scope })
    const run = startRun(source, scope, deadlineMs, true, true)
    void run.promise.then((result) => {
      if (E.isLeft(result))
        log({ event: 'refresh-failed', source: source._tag, scope, code: result.left.code })
    })
  }

  const recentlyAttempted = (scope: string, now: number) => {
    const last = lastAttempt.get(scope)
    return last !== undefined && now - last < REFRESH_INTERVAL_MS
  }

  const getToken: ManagedIdentityClient['getToken'] = async (scopes, tokenOptions = {}) => {
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
      return join(startRun(source, scope.right, deadlineMs, false, false), tokenOptions.abortSignal)
    }
    const now = capabilities.now()
    const cached = cache.get(scope.right)
    if (cached !== undefined && now < cached.expiresOnTimestamp - EXPIRY_MARGIN_MS) {
      const refreshDue = cached.refreshAfterTimestamp !== undefined && now >= cached.refreshAfterTimestamp
      if (refreshDue && !recentlyAttempted(scope.right, now))
        refreshInBackground(source, scope.right, deadlineMs)
      return E.right(cached)
    }
    const stillValid = cached !== undefined && now < cached.expiresOnTimestamp
    if (stillValid && !inFlight.has(scope.right) && recentlyAttempted(scope.right, now)) {
      log({ event: 'stale-token-served', source: source._tag, scope: scope.right })
      return E.right(cached)
    }
    const run = inFlight.get(scope.right) ?? startRun(source, scope.right, deadlineMs, true, false)
    const result = await join(run, tokenOptions.abortSignal)
    if (
      E.isLeft(result) &&
      result.left._tag !== 'Aborted' &&
      cached !== undefined &&
      capabilities.now() < cached.expiresOnTimestamp
    ) {
      log({ event: 'stale-token-served', source: source._tag, scope: scope.right })
      return E.right(cached)
    }
    return result
  }

  return { selection, getToken }
}
