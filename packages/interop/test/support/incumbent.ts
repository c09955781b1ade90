/**
 * `@azure/identity`'s ManagedIdentityCredential, the incumbent azmi is compared with, run in a
 * fresh Node process per scenario (see `incumbentProcess.mjs` for why) with exactly the
 * scenario's environment: nothing of this process's `process.env` reaches it, and nothing of
 * this process's `process.env` is changed.
 */
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { fileURLToPath } from 'node:url'

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

export const runIncumbent = async (scenario: IncumbentScenario): Promise<IncumbentOutcome> => {
  const { env, ...rest } = scenario
  const child = spawn(process.execPath, [script, JSON.stringify(rest)], {
    env: { ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString('utf8')
  })
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8')
  })
  const [code] = await once(child, 'close')
  if (code !== 0) throw new Error(`the incumbent's process exited with ${code}:\n${stderr}`)
  return JSON.parse(stdout) as IncumbentOutcome
}
