/**
 * Asking the chosen source for a token once: the optional preflight (IMDS's probe, until it
 * passes), then the source's plan, with every error scrubbed of the secrets involved.
 *
 * @since 0.1.0
 */
import * as E from 'fp-ts/lib/Either.js'
import type { AbortSignalLike, Capabilities } from './capabilities.js'
import type { ManagedIdentityError } from './errors.js'
import { type FileCopy, type RunContext, runPlan } from './interpret.js'
import { scrubRecord } from './redact.js'
import type { RetryOptions } from './retry.js'
import { moduleOf } from './select.js'
import type { TokenResult } from './sharedRun.js'
import type { Source, TokenRequest } from './source.js'

export const DEFAULT_TIMEOUT_MS = 10_000
export const DEFAULT_PROBE_TIMEOUT_MS = 1_000

export interface RequestSettings {
  readonly probe?: boolean | undefined
  readonly timeoutMs?: number | undefined
  readonly probeTimeoutMs?: number | undefined
  readonly retry?: RetryOptions | undefined
}

export type RequestToken = (
  source: Source,
  scope: string,
  deadline: number,
  signal: AbortSignalLike,
) => Promise<TokenResult>

/** A requester for one credential: it owns the token-file cache and remembers a passed probe. */
export const createRequestToken = (settings: RequestSettings, capabilities: Capabilities): RequestToken => {
  const fileCache = new Map<string, FileCopy>()
  let preflightPassed = false
  const log = capabilities.log ?? (() => undefined)

  return async (source, scope, deadline, signal) => {
    const module = moduleOf(source)
    const request: TokenRequest = {
      scope,
      timeoutMs: settings.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      probeTimeoutMs: settings.probeTimeoutMs ?? DEFAULT_PROBE_TIMEOUT_MS,
      retry: settings.retry,
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
    const scrubbed = (error: ManagedIdentityError) =>
      E.left(scrubRecord(error, [...module.secrets(source), ...context.secrets]))
    if (settings.probe === true && !preflightPassed && module.preflight !== undefined) {
      const probed = await runPlan(module.preflight(source, request), context)
      log({ event: E.isRight(probed) ? 'probe-succeeded' : 'probe-failed', source: source._tag })
      if (E.isLeft(probed)) return scrubbed(probed.left)
      preflightPassed = true
    }
    const result = await runPlan(module.plan(source, request), context)
    return E.isRight(result) ? result : scrubbed(result.left)
  }
}
