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
import { type FileCopy, runPlan } from './interpret.js'
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
}

/** What a credential remembers across requests besides its tokens. */
export interface RequestMemory {
  /** Files read earlier (the federated token is reused for 5 minutes). */
  readonly files: Map<string, FileCopy>
  /** Whether an IMDS probe has passed: then there is no need to probe again. */
  probePassed: boolean
}

/** One request for one scope. */
export interface EndpointCall {
  readonly source: Source
  readonly scope: string
  /** Time allowed for the whole request, from its start. */
  readonly deadlineMs: number
  readonly signal: AbortSignalLike
}

const tokenRequest = (
  settings: RequestSettings,
  platform: Platform,
  scope: string,
  probe: boolean,
): TokenRequest => ({
  scope,
  timeoutMs: settings.timeoutMs ?? DEFAULT_TIMEOUT_MS,
  probeTimeoutMs: settings.probeTimeoutMs ?? DEFAULT_PROBE_TIMEOUT_MS,
  probe,
  retry: settings.retry,
  platform,
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
  E.map((scope: string) =>
    moduleOf(source).plan(
      source,
      tokenRequest(settings, settings.platform ?? { os: 'other' }, scope, settings.probe === true),
    ),
  )(singleScope(scopes))

/** Run the source's plan for `call.scope`; the outcome's error, if any, holds no secret the run knew. */
export const requestToken = async (
  settings: RequestSettings,
  capabilities: Capabilities,
  memory: RequestMemory,
  call: EndpointCall,
): Promise<RunOutcome> => {
  const module = moduleOf(call.source)
  const probe = settings.probe === true && !memory.probePassed
  const plan = module.plan(call.source, tokenRequest(settings, capabilities.platform, call.scope, probe))
  const report = await runPlan(plan, {
    capabilities,
    source: call.source._tag,
    signal: call.signal,
    deadlineMs: call.deadlineMs,
    secrets: module.secrets(call.source),
    files: memory.files,
  })
  if (report.notes.some((note) => note.event === 'probe-succeeded')) memory.probePassed = true
  const secrets = [...module.secrets(call.source), ...report.secrets]
  const result = E.isRight(report.result) ? report.result : E.left(scrubRecord(report.result.left, secrets))
  return { result, requests: report.requests }
}
