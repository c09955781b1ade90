/** `azmi token`: get a token from the current environment's managed identity. */
import type { Environment } from '@azmi/core'
import { ManagedIdentityCredential } from '@azmi/node-io'
import { describeRemaining } from './table.js'

export interface TokenCommand {
  readonly scope: string
  readonly clientId?: string | undefined
  readonly objectId?: string | undefined
  readonly resourceId?: string | undefined
  readonly json: boolean
  readonly showToken: boolean
  readonly probe: boolean
  readonly timeoutMs?: number | undefined
}

/** Exit codes: 0 token, 1 authentication failed, 3 unavailable or misconfigured. */
export const exitCodeFor = (error: unknown): number =>
  error instanceof Error && error.name === 'AuthenticationError' ? 1 : 3

export const getTokenCommand = async (
  command: TokenCommand,
  env: Environment,
): Promise<{ readonly text: string; readonly exitCode: number }> => {
  try {
    const credential = new ManagedIdentityCredential({
      env,
      clientId: command.clientId,
      objectId: command.objectId,
      resourceId: command.resourceId,
      probe: command.probe,
      ...(command.timeoutMs !== undefined && { deadlineMs: command.timeoutMs }),
    })
    const token = await credential.getToken(command.scope)
    const shown = command.showToken
      ? token.token
      : `(${token.token.length} characters, hidden; --show-token shows it)`
    if (command.json) {
      return {
        text: JSON.stringify({
          ...token,
          token: command.showToken ? token.token : undefined,
          source: credential.sourceName,
        }),
        exitCode: 0,
      }
    }
    const now = Date.now()
    return {
      text: [
        `source:        ${credential.sourceName ?? '-'}`,
        `token type:    ${token.tokenType}`,
        `expires:       ${new Date(token.expiresOnTimestamp).toISOString()} (in ${describeRemaining(token.expiresOnTimestamp, now)})`,
        `refresh after: ${token.refreshAfterTimestamp === undefined ? '-' : new Date(token.refreshAfterTimestamp).toISOString()}`,
        `token:         ${shown}`,
      ].join('\n'),
      exitCode: 0,
    }
  } catch (error) {
    const code = (error as { code?: string }).code ?? 'unknown'
    const message = error instanceof Error ? error.message : String(error)
    return {
      text: command.json
        ? JSON.stringify({ error: { name: (error as Error).name, code, message } })
        : `error (${code}): ${message}`,
      exitCode: exitCodeFor(error),
    }
  }
}
