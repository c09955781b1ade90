/**
 * `@azure/identity`'s ManagedIdentityCredential, the incumbent azmi is compared with, run in a
 * fresh Node process per scenario (see `incumbentProcess.mjs` for why) with exactly the
 * scenario's environment: nothing of this process's `process.env` reaches it, and nothing of
 * this process's `process.env` is changed.
 */
import { fileURLToPath } from 'node:url'
import { runProcess } from '@azmi/test-support'

export interface IncumbentScenario {
  /** The whole environment of the incumbent's process. */
  readonly env: Readonly<Record<string, string>>
  readonly scope: string
  /** `ManagedIdentityCredentialOptions` fields, passed as they are. */
  readonly options?: {
    readonly clientId?: string
    readonly objectId?: string
    readonly resourceId?: string
    readonly sendProbeRequest?: boolean
  }
  /** Put the credential first in a `ChainedTokenCredential` with a fallback credential after it. */
  readonly chain?: boolean
}

export type IncumbentOutcome =
  | { readonly outcome: 'token'; readonly from: 'managedIdentity' | 'fallback'; readonly token: string }
  | {
      readonly outcome: 'error'
      readonly name: string
      readonly message: string
      readonly statusCode?: number
    }

const script = fileURLToPath(new URL('./incumbentProcess.mjs', import.meta.url))

/** Run the incumbent once with exactly `scenario.env` as its environment; rejects if it crashed. */
export const runIncumbent = async (scenario: IncumbentScenario): Promise<IncumbentOutcome> => {
  const { env, ...rest } = scenario
  const child = await runProcess(process.execPath, [script, JSON.stringify(rest)], { env: { ...env } })
  if (child.code !== 0) throw new Error(`the incumbent's process exited with ${child.code}:\n${child.stderr}`)
  return JSON.parse(child.stdout) as IncumbentOutcome
}
