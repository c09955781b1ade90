/**
 * Runs `@azure/identity`'s ManagedIdentityCredential once, in a Node process of its own whose
 * environment is exactly the scenario's, and prints the outcome as one line of JSON.
 *
 * Why a process of its own: the incumbent takes no `env` option. It reads `process.env` when
 * it is constructed (to name the source) and again at the first `getToken` (when MSAL builds
 * the source with its endpoint and secret), and MSAL keeps that source, and its token cache,
 * in static fields for the life of the process. One process per scenario is the only way to
 * give each scenario its own hosting environment.
 *
 * argv[2]: JSON `{ scope, options?, chain? }`. With `chain`, the credential is the first of a
 * `ChainedTokenCredential` whose second credential answers `FALLBACK_TOKEN`.
 */
import { ChainedTokenCredential, ManagedIdentityCredential } from '@azure/identity'

const FALLBACK_TOKEN = 'fallback-token'
const HOUR_MS = 3_600_000

/** @param {unknown} error */
const describeError = (error) =>
  error instanceof Error
    ? {
        outcome: 'error',
        name: error.name,
        message: error.message,
        ...('statusCode' in error && { statusCode: error.statusCode }),
      }
    : { outcome: 'error', name: typeof error, message: String(error) }

const run = async () => {
  const scenario = JSON.parse(process.argv[2] ?? '{}')
  try {
    const managedIdentity = new ManagedIdentityCredential(scenario.options ?? {})
    const fallback = {
      getToken: async () => ({ token: FALLBACK_TOKEN, expiresOnTimestamp: Date.now() + HOUR_MS }),
    }
    const credential = scenario.chain
      ? new ChainedTokenCredential(managedIdentity, fallback)
      : managedIdentity
    const token = await credential.getToken(scenario.scope)
    return {
      outcome: 'token',
      from: token.token === FALLBACK_TOKEN ? 'fallback' : 'managedIdentity',
      token: token.token,
    }
  } catch (error) {
    return describeError(error)
  }
}

process.stdout.write(`${JSON.stringify(await run())}\n`)
