/**
 * The `azmi` command.
 *
 *   azmi token --scope S [--client-id ID | --object-id ID | --resource-id ID] [--json] [--show-token] [--probe] [--timeout MS]
 *   azmi explain
 *   azmi emulate [--source NAME]
 */
import { parseArgs } from 'node:util'
import type { Environment } from '@azmi/core'
import { emulate, isEnvironmentName } from './emulate.js'
import { explain } from './explain.js'
import { getTokenCommand } from './token.js'

const USAGE = `usage:
  azmi token --scope SCOPE [--client-id ID | --object-id ID | --resource-id ID] [--json] [--show-token] [--probe] [--timeout MS]
  azmi explain
  azmi emulate [--source ServiceFabric|AppService|AzureArc|AzureML|CloudShell|WorkloadIdentity|Imds]`

const usageError = (problem: string) => ({ text: `azmi: ${problem}\n${USAGE}`, exitCode: 2 })

const tokenFromArgs = async (args: ReadonlyArray<string>, env: Environment) => {
  const { values } = parseArgs({
    args: [...args],
    options: {
      scope: { type: 'string' },
      'client-id': { type: 'string' },
      'object-id': { type: 'string' },
      'resource-id': { type: 'string' },
      json: { type: 'boolean', default: false },
      'show-token': { type: 'boolean', default: false },
      probe: { type: 'boolean', default: false },
      timeout: { type: 'string' },
    },
  })
  if (values.scope === undefined) return usageError('--scope is required')
  const timeoutMs = values.timeout === undefined ? undefined : Number(values.timeout)
  if (timeoutMs !== undefined && !(Number.isInteger(timeoutMs) && timeoutMs > 0)) {
    return usageError('--timeout takes a whole number of milliseconds')
  }
  return getTokenCommand(
    {
      scope: values.scope,
      clientId: values['client-id'],
      objectId: values['object-id'],
      resourceId: values['resource-id'],
      json: values.json,
      showToken: values['show-token'],
      probe: values.probe,
      timeoutMs,
    },
    env,
  )
}

/**
 * Run the command line against the environment `env` (a snapshot of `process.env` unless
 * given, so tests can pass their own); returns the exit code.
 */
export const runCli = async (
  argv: ReadonlyArray<string>,
  write: (text: string) => void,
  env: Environment = { ...process.env },
): Promise<number> => {
  const [command, ...rest] = argv
  try {
    if (command === 'token') {
      const result = await tokenFromArgs(rest, env)
      write(`${result.text}\n`)
      return result.exitCode
    }
    if (command === 'explain') {
      const result = explain(env)
      write(`${result.text}\n`)
      return result.exitCode
    }
    if (command === 'emulate') {
      const { values } = parseArgs({ args: [...rest], options: { source: { type: 'string' } } })
      if (values.source !== undefined && !isEnvironmentName(values.source)) {
        write(`${usageError(`unknown source "${values.source}"`).text}\n`)
        return 2
      }
      await emulate(values.source, write)
      return 0
    }
    write(
      `${command === undefined || command === 'help' || command === '--help' ? USAGE : usageError(`unknown command "${command}"`).text}\n`,
    )
    return command === undefined || command === 'help' || command === '--help' ? 0 : 2
  } catch (error) {
    write(`${usageError(error instanceof Error ? error.message : String(error)).text}\n`)
    return 2
  }
}
