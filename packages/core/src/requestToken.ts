/**
 * Asking the chosen source for a token once: the source's plan for the scope (with the IMDS
 * probe while none has passed), run by the interpreter within the call's time limit, with
 * every error scrubbed of the secrets involved.
 *
 * @since 0.1.0
 */
import * as E from 'fp-ts/lib/Either.js'
import type { AbortSignalLike, Capabilities, Platform } from './capabilities.js'
import type { ManagedIdentityError } from './errors.js'
import { type FileCopy, type RunContext, runPlan } from './interpret.js'
import type { Plan } from './plan.js'
import { scrubRecord } from './redact.js'
import type { RetryOptions } from './retry.js'
import { singleScope } from './scope.js'
import type { RunOutcome } from './scopeState.js'
import type { TokenRequest } from './source.js'
import { moduleOf, type Source } from './sourceList.js'
import type { AccessToken } from './token.js'

/** Per-attempt timeout unless the caller sets `timeoutMs`. */
export const DEFAULT_TIMEOUT_MS = 10_000
/** The IMDS probe's timeout unless the caller sets `probeTimeoutMs`. */
export const DEFAULT_PROBE_TIMEOUT_MS = 1_000

/** The credential options that shape each request. */
export interface RequestSettings {
  /** Probe IMDS before the first token request (a credential chain wants this). */
  readonly probe?: boolean | undefined
  /** Per-attempt timeout; default 10 s. */
  readonly timeoutMs?: number | undefined
  /** The IMDS probe's timeout; default 1 s. */
  readonly probeTimeoutMs?: number | undefined
  /** Tuning of the source's retry schedule. */
  readonly retry?: RetryOptions | undefined
  /** Client capabilities to declare (`['cp1']`): Service Fabric's `xms_cc` (docs/protocol.md §2.3). */
  readonly clientCapabilities?: ReadonlyArray<string> | undefined
}

/** What a credential remembers across requests besides its tokens. */
export interface RequestMemory {
  /** Files read earlier (the federated token is reused for 5 minutes). */
  readonly files: Map<string, FileCopy>
  /** Whether an IMDS probe has passed: then there is no need to probe again. */
  probePassed: boolean
}

/** One request for one scope. */
export interface EndpointCall extends Pick<RunContext, 'background' | 'throttled' | 'onAttempt'> {
  readonly source: Source
  readonly scope: string
  /** Time allowed for the whole request, from its start. */
  readonly deadlineMs: number
  readonly signal: AbortSignalLike
  /** Claims from a CAE challenge, if any. */
  readonly claims?: string | undefined
  /** The token cached for the scope when the call carries claims (revoked on Service Fabric). */
  readonly revokedToken?: string | undefined
  /** Tokens the credential holds for any scope: an endpoint echoing one must not show it in an error. */
  readonly issuedTokens?: ReadonlyArray<string> | undefined
}

/** What a plan needs to know of the request, beyond the source. */
interface Asked {
  readonly scope: string
  readonly probe: boolean
  readonly claims?: string | undefined
  readonly revokedToken?: string | undefined
}

const tokenRequest = (settings: RequestSettings, platform: Platform, asked: Asked): TokenRequest => ({
  scope: asked.scope,
  timeoutMs: settings.timeoutMs ?? DEFAULT_TIMEOUT_MS,
  probeTimeoutMs: settings.probeTimeoutMs ?? DEFAULT_PROBE_TIMEOUT_MS,
  probe: asked.probe,
  retry: settings.retry,
  platform,
  claims: asked.claims,
  revokedToken: asked.revokedToken,
  clientCapabilities: settings.clientCapabilities ?? [],
})

/**
 * The plan that gets a token for `scope` from `source`: plain data, to run with `runPlan` or to
 * step through with your own effects (docs/embedding.md). The scope is checked first.
 */
export const planToken = (
  source: Source,
  scopes: string | ReadonlyArray<string>,
  settings: RequestSettings & { readonly platform?: Platform | undefined } = {},
): E.Either<ManagedIdentityError, Plan<AccessToken>> =>
  E.map((scope: string) => {
    const asked = { scope, probe: settings.probe === true }
    return moduleOf(source).plan(source, tokenRequest(settings, settings.platform ?? { os: 'other' }, asked))
  })(singleScope(scopes))

/**
 * The secret values a source sends (its identity header or secret), to pass as
 * `RunContext.secrets` when running its plan yourself: they are masked in every reply.
 */
export const secretsOf = (source: Source): ReadonlyArray<string> => moduleOf(source).secrets(source)

/** Run the source's plan for `call.scope`; the outcome's error, if any, holds no secret the run knew. */
export const requestToken = async (
  settings: RequestSettings,
  capabilities: Capabilities,
  memory: RequestMemory,
  call: EndpointCall,
): Promise<RunOutcome> => {
  const { source, signal, deadlineMs, background, throttled, onAttempt } = call
  const module = moduleOf(source)
  const asked = { ...call, probe: settings.probe === true && !memory.probePassed }
  const plan = module.plan(source, tokenRequest(settings, capabilities.platform, asked))
  const secrets = module.secrets(source)
  const context = { capabilities, source: source._tag, signal, deadlineMs, secrets, files: memory.files }
  const hooks = { background, throttled, onAttempt, limited: module.limited }
  const report = await runPlan(plan, { ...context, ...hooks })
  if (report.notes.some((note) => note.event === 'probe-succeeded')) memory.probePassed = true
  // Issued tokens are scrubbed from the error only, never from replies: IMDS may hand out the
  // same token again, and the reply must still parse.
  const all = [
    ...secrets,
    ...report.secrets,
    ...(call.revokedToken === undefined ? [] : [call.revokedToken]),
    ...(call.issuedTokens ?? []),
  ]
  const result = E.isRight(report.result) ? report.result : E.left(scrubRecord(report.result.left, all))
  return { result, requests: report.requests, lastReply: report.lastReply }
}
