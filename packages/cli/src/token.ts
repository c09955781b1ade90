/** `azmi token`: get a token from the current environment's managed identity. */
import type { AccessToken, Environment } from '@azmi/core'
import { ManagedIdentityCredential } from '@azmi/node-io'
import { printable } from './printable.js'
import { describeRemaining } from './table.js'

/** What `azmi token` was asked for. */
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

/** What the command prints, and its exit code. */
export interface CommandResult {
  readonly text: string
  readonly exitCode: number
}

/** Exit codes: 0 token, 1 authentication failed, 3 unavailable or misconfigured. */
export const exitCodeFor = (error: unknown): number =>
  error instanceof Error && error.name === 'AuthenticationError' ? 1 : 3

const asText = (token: AccessToken, source: string | undefined, shown: string): string => {
  const now = Date.now()
  const refresh = token.refreshAfterTimestamp
  return [
    `source:        ${source ?? '-'}`,
    `token type:    ${token.tokenType}`,
    `expires:       ${new Date(token.expiresOnTimestamp).toISOString()} (in ${describeRemaining(token.expiresOnTimestamp, now)})`,
    `refresh after: ${refresh === undefined ? '-' : new Date(refresh).toISOString()}`,
    `token:         ${shown}`,
  ].join('\n')
}

const success = (command: TokenCommand, token: AccessToken, source: string | undefined): CommandResult => {
  const shown = command.showToken
    ? token.token
    : `(${token.token.length} characters, hidden; --show-token shows it)`
  const json = { ...token, token: command.showToken ? token.token : undefined, source }
  return { text: command.json ? JSON.stringify(json) : asText(token, source, shown), exitCode: 0 }
}

/** An error as the user sees it: its message from the endpoint, escaped for the terminal. */
const failure = (command: TokenCommand, error: unknown): CommandResult => {
  const code = (error as { code?: string }).code ?? 'unknown'
  const name = error instanceof Error ? error.name : 'Error'
  const message = error instanceof Error ? error.message : String(error)
  const text = command.json
    ? printable(JSON.stringify({ error: { name, code, message } }))
    : `error (${code}): ${printable(message)}`
  return { text, exitCode: exitCodeFor(error) }
}

/** Run `azmi token` against `env`. */
export const getTokenCommand = async (command: TokenCommand, env: Environment): Promise<CommandResult> => {
  try {
    const credential = new ManagedIdentityCredential({
      env,
      clientId: command.clientId,
      objectId: command.objectId,
      resourceId: command.resourceId,
      probe: command.probe,
      ...(command.timeoutMs !== undefined && { deadlineMs: command.timeoutMs }),
    })
    return success(command, await credential.getToken(command.scope), credential.sourceName)
  } catch (error) {
    return failure(command, error)
  }
}
