/**
 * The credential's logic against injected capabilities (docs/protocol.md §5): one source
 * chosen up front, and per scope one {@link ScopeState} record — the cached token, the request
 * in flight however many callers wait on it, and when the endpoint was last asked — moved only
 * by its named transitions. Background refresh and the stale-token fallback follow from the
 * pure {@link cacheVerdict}.
 *
 * @since 0.1.0
 */
import * as E from 'fp-ts/lib/Either.js'
import { pipe } from 'fp-ts/lib/function.js'
import { cacheVerdict, fallbackAfterFailure } from './cachePolicy.js'
import type { AbortSignalLike, Capabilities } from './capabilities.js'
import type { Environment } from './environment.js'
import type { ManagedIdentityError } from './errors.js'
import { type IdentityOptions, identityFromOptions } from './identity.js'
import { checkOptions, checkTokenOptions } from './options.js'
import type { RequestSettings } from './requestToken.js'
import { abortedError, type Call, type Credential, emit, launch, update, waitOn } from './runs.js'
import { singleScope } from './scope.js'
import { emptyScope, join, start } from './scopeState.js'
import { selectSource } from './select.js'
import type { Source } from './sourceList.js'
import type { AccessToken } from './token.js'
import { type CacheOutcome, NO_SPAN, startCallSpan, type TracerLike } from './tracing.js'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/** The options of a credential, as the core sees them. */
export interface ManagedIdentityOptions extends IdentityOptions, RequestSettings {
  /** The environment snapshot to select a source from. */
  readonly env: Environment
  /** Time allowed for one `getToken`, across probe, retries and waits. Default 120 s. */
  readonly deadlineMs?: number | undefined
  /**
   * The Microsoft Entra ID authority of workload identity, for sovereign clouds
   * (`https://login.microsoftonline.us`). Default: `AZURE_AUTHORITY_HOST`.
   */
  readonly authorityHost?: string | undefined
  /** An OpenTelemetry `Tracer`: a span per `getToken` and per HTTP attempt (docs/protocol.md §6.2). */
  readonly tracer?: TracerLike | undefined
}

/** The `@azure/core-auth` `GetTokenOptions` fields azmi honours. */
export interface TokenOptions {
  /** Give up on this call when it aborts (others sharing the request go on). */
  readonly abortSignal?: AbortSignalLike | undefined
  /** Claims from a CAE challenge: the request bypasses the cache. */
  readonly claims?: string | undefined
  /** `timeout` overrides `deadlineMs` for this call. */
  readonly requestOptions?:
    | {
        /** Time allowed for this call, in milliseconds. */
        readonly timeout?: number | undefined
      }
    | undefined
  /**
   * `tracingContext`: the OpenTelemetry `Context` whose span becomes the parent of this call's
   * span, as Azure SDK clients pass it (with `@azure/opentelemetry-instrumentation-azure-sdk`).
   * Anything that is not a `Context` is ignored.
   */
  readonly tracingOptions?:
    | {
        /** The parent's OpenTelemetry `Context`. */
        readonly tracingContext?: unknown
      }
    | undefined
}

/** A token, or why there is none. */
export type TokenResult = E.Either<ManagedIdentityError, AccessToken>

/** The credential as functions over `Either`: what the shells' classes wrap. */
export interface ManagedIdentityClient {
  /** The chosen source, or why there is none. Holds secrets: never log it. */
  readonly selection: E.Either<ManagedIdentityError, Source>
  /** A token for exactly one scope, or why not. Never rejects, whatever it is passed. */
  readonly getToken: (scopes: string | ReadonlyArray<string>, options?: TokenOptions) => Promise<TokenResult>
}

/** The time one `getToken` may take unless `deadlineMs` or `requestOptions.timeout` say otherwise. */
export const DEFAULT_DEADLINE_MS = 120_000

// -------------------------------------------------------------------------------------
// getToken
// -------------------------------------------------------------------------------------

/** A call's result, how it was served, and the requests its run sent. */
interface Served {
  readonly result: TokenResult
  readonly cache: CacheOutcome
  readonly attempts: number
}

const served = (result: TokenResult, cache: CacheOutcome, attempts = 0): Served => ({
  result,
  cache,
  attempts,
})

/** Join the scope's request in flight, or start one; a failure falls back to a still-valid token. */
const fromEndpoint = async (credential: Credential, call: Call): Promise<Served> => {
  const before = credential.scopes.get(call.scope) ?? emptyScope
  const run = before.run ?? launch(credential, call, false)
  const now = credential.capabilities.now()
  update(credential, call.scope, (state) => join(before.run === undefined ? start(state, run, now) : state))
  const { result, requests } = await waitOn(credential, call.scope, run, call.signal)
  const fallback = E.isLeft(result)
    ? fallbackAfterFailure(before.token, result.left, credential.capabilities.now())
    : undefined
  if (fallback === undefined) return served(result, 'miss', requests)
  emit(credential, { event: 'stale-token-served', source: credential.source._tag, scope: call.scope })
  return served(E.right(fallback), 'stale', requests)
}

/** Claims bypass the cache and any request in flight; the token they bring is cached. */
const withClaims = async (credential: Credential, call: Call): Promise<Served> => {
  const run = launch(credential, call, false)
  update(credential, call.scope, (state) => ({ ...state, lastAttemptAt: credential.capabilities.now() }))
  const { result, requests } = await waitOn(credential, undefined, run, call.signal)
  return served(result, 'claims', requests)
}

/** Start a background refresh: a run no caller waits on. */
const refresh = (credential: Credential, call: Call): void => {
  const run = launch(credential, call, true)
  const now = credential.capabilities.now()
  update(credential, call.scope, (state) => start(state, run, now))
}

const fromCache = (credential: Credential, call: Call): Promise<Served> => {
  const verdict = cacheVerdict(credential.scopes.get(call.scope) ?? emptyScope, credential.capabilities.now())
  const source = credential.source._tag
  switch (verdict._tag) {
    case 'Fetch':
      return fromEndpoint(credential, call)
    case 'Serve':
      return Promise.resolve(served(E.right(verdict.token), 'hit'))
    case 'ServeAndRefresh':
      emit(credential, { event: 'refresh-started', source, scope: call.scope })
      refresh(credential, call)
      return Promise.resolve(served(E.right(verdict.token), 'refresh'))
    case 'ServeStale':
      emit(credential, { event: 'stale-token-served', source, scope: call.scope })
      return Promise.resolve(served(E.right(verdict.token), 'stale'))
  }
}

/** The call's scope and options, checked: whatever a JavaScript caller passes, a typed result. */
const callOf = (
  credential: Credential,
  scopes: unknown,
  raw: unknown,
): E.Either<ManagedIdentityError, Call> => {
  const checked = checkTokenOptions(raw)
  if (E.isLeft(checked)) return checked
  const options = (raw ?? {}) as TokenOptions
  // The cache's keys are scopes that passed `singleScope`, which would return them unchanged:
  // a cached scope skips the check (a regular expression per call, ~15% of a cached call).
  const scope =
    typeof scopes === 'string' && credential.scopes.has(scopes) ? E.right(scopes) : singleScope(scopes)
  if (E.isLeft(scope)) return scope
  if (options.abortSignal?.aborted === true) return E.left(abortedError(credential))
  const deadlineMs = options.requestOptions?.timeout ?? credential.options.deadlineMs ?? DEFAULT_DEADLINE_MS
  const claims = options.claims === '' ? undefined : options.claims
  const span = NO_SPAN
  return E.right({ scope: scope.right, deadlineMs, signal: options.abortSignal, claims, span })
}

/**
 * The commonest call, answered without building one: no options, no tracer, a scope whose
 * token is cached and fresh. Anything else (or `undefined` here) takes the full path.
 */
const freshFromCache = (
  credential: Credential,
  scopes: unknown,
  options: unknown,
): TokenResult | undefined => {
  if (options !== undefined || credential.options.tracer !== undefined || typeof scopes !== 'string')
    return undefined
  const state = credential.scopes.get(scopes)
  if (state === undefined) return undefined
  const verdict = cacheVerdict(state, credential.capabilities.now())
  return verdict._tag === 'Serve' ? E.right(verdict.token) : undefined
}

const getToken = async (credential: Credential, scopes: unknown, options: unknown): Promise<TokenResult> => {
  const fresh = freshFromCache(credential, scopes, options)
  if (fresh !== undefined) return fresh
  const call = callOf(credential, scopes, options)
  if (E.isLeft(call)) return call
  const tracingContext = (options as TokenOptions | undefined)?.tracingOptions?.tracingContext
  const span = startCallSpan(credential.options.tracer, credential.source._tag, tracingContext)
  const traced = { ...call.right, span }
  const { result, cache, attempts } = await (traced.claims === undefined
    ? fromCache(credential, traced)
    : withClaims(credential, traced))
  span.end(result, cache, attempts)
  return result
}

// -------------------------------------------------------------------------------------
// constructor
// -------------------------------------------------------------------------------------

/** The snapshot selection reads: the `authorityHost` option stands for `AZURE_AUTHORITY_HOST`. */
const selectionEnvironment = (options: ManagedIdentityOptions): Environment =>
  options.authorityHost === undefined
    ? options.env
    : { ...options.env, AZURE_AUTHORITY_HOST: options.authorityHost }

/** A credential over `capabilities`: the source is chosen now, once; tokens are asked for on demand. */
export const createManagedIdentityClient = (
  options: ManagedIdentityOptions,
  capabilities: Capabilities,
): ManagedIdentityClient => {
  const selection = pipe(
    checkOptions(options as unknown as Record<string, unknown>),
    E.flatMap(() => identityFromOptions(options)),
    E.flatMap((identity) => selectSource(selectionEnvironment(options), identity, capabilities.platform)),
  )
  if (E.isLeft(selection)) return { selection, getToken: () => Promise.resolve(selection) }
  const credential: Credential = {
    source: selection.right,
    options,
    capabilities,
    scopes: new Map(),
    memory: { files: new Map(), probePassed: false },
    throttle: new Map(),
    runIds: { next: 1 },
  }
  emit(credential, { event: 'source-selected', source: credential.source._tag })
  return { selection, getToken: (scopes, tokenOptions) => getToken(credential, scopes, tokenOptions) }
}
