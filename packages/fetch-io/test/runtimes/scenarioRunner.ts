/**
 * The credential side of the runtime tests: bundled by esbuild together with fetch-io, as a
 * user's bundler would, and run inside workerd, Deno and Bun. It takes scenarios as plain
 * JSON, runs each through `ManagedIdentityCredential`, and reports outcomes as plain JSON for
 * the vitest side to judge. It decides nothing itself.
 */
import type { Environment, Platform, RetryOptions } from '@azmi/core'
import type { ReadFile } from '../../src/index.js'
import { ManagedIdentityCredential } from '../../src/index.js'

export { denoReadFile } from '../../src/index.js'

export const SCOPE = 'https://storage.azure.com/.default'

/** One credential and one `getToken`, described as JSON. */
export interface RuntimeScenario {
  readonly name: string
  /** The variables to select a source from; absent: the host's own (a Worker's `env`, `Deno.env.toObject()`). */
  readonly env?: Environment
  /** Give the credential the host's `readFile` (`denoReadFile`, `bunReadFile`). */
  readonly readFile?: boolean
  readonly options?: {
    readonly clientId?: string
    readonly timeoutMs?: number
    readonly retry?: RetryOptions
    readonly platform?: Platform
  }
}

/** What the runtime makes of a scenario: a token, or the error a program would switch on. */
export type RuntimeOutcome =
  | {
      readonly ok: true
      readonly token: string
      readonly tokenType: string
      readonly expiresOnTimestamp: number
    }
  | {
      readonly ok: false
      readonly name: unknown
      readonly code: unknown
      readonly tag: unknown
      readonly capability: unknown
    }

/** What the host runtime provides. */
export interface Host {
  readonly env: Environment
  readonly readFile?: ReadFile
}

export const runScenario = async (scenario: RuntimeScenario, host: Host): Promise<RuntimeOutcome> => {
  const credential = new ManagedIdentityCredential({
    env: scenario.env ?? host.env,
    ...(scenario.readFile === true && host.readFile !== undefined && { readFile: host.readFile }),
    ...scenario.options,
  })
  try {
    const { token, tokenType, expiresOnTimestamp } = await credential.getToken(SCOPE)
    return { ok: true, token, tokenType, expiresOnTimestamp }
  } catch (thrown) {
    const error = thrown as {
      name?: unknown
      code?: unknown
      details?: { _tag?: unknown; capability?: unknown }
    }
    return {
      ok: false,
      name: error.name,
      code: error.code,
      tag: error.details?._tag,
      capability: error.details?.capability,
    }
  }
}

/** Every scenario, one after the other (the emulator's fault queues are consumed in order). */
export const runScenarios = async (
  scenarios: ReadonlyArray<RuntimeScenario>,
  host: Host,
): Promise<Record<string, RuntimeOutcome>> => {
  const outcomes: Record<string, RuntimeOutcome> = {}
  for (const scenario of scenarios) outcomes[scenario.name] = await runScenario(scenario, host)
  return outcomes
}
