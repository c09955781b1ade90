/**
 * azmi's events as `@azure/logger` lines (docs/protocol.md §6.1): each event has a level
 * (`error`, `warning`, `info`, `verbose`); with `AZURE_LOG_LEVEL` set and no `logger` given, a
 * shell writes the events at that level and above to stderr, as `@azure/logger` does; and a
 * one-line bridge hands them to an `@azure/logger` client logger instead.
 *
 * @see https://learn.microsoft.com/javascript/api/overview/azure/logger-readme
 * @since 0.2.0
 */
import type { LogEvent } from './capabilities.js'
import { type Environment, readVariable } from './environment.js'

/** `@azure/logger`'s levels, most severe first. */
export type LogLevel = 'error' | 'warning' | 'info' | 'verbose'

const LEVELS: ReadonlyArray<LogLevel> = ['error', 'warning', 'info', 'verbose']

const LEVEL_OF_EVENT: Readonly<Record<LogEvent['event'], LogLevel>> = {
  failed: 'error',
  'refresh-failed': 'warning',
  'probe-failed': 'warning',
  'throttle-opened': 'warning',
  throttled: 'warning',
  'revocation-skipped': 'warning',
  'source-selected': 'info',
  'token-cached': 'info',
  'refresh-started': 'info',
  'stale-token-served': 'info',
  'probe-succeeded': 'info',
  'throttle-closed': 'info',
  'request-sent': 'verbose',
  'reply-received': 'verbose',
  'retry-scheduled': 'verbose',
}

/** The level an event is logged at. */
export const logLevelOf = (event: LogEvent): LogLevel => LEVEL_OF_EVENT[event.event] ?? 'info'

const formatValue = (value: string | number | boolean): string =>
  typeof value === 'string' && /[\s"=]/.test(value) ? JSON.stringify(value) : String(value)

/** An event as one line of text: `ManagedIdentityCredential => token-cached source=Imds scope=…`. */
export const formatLogEvent = (event: LogEvent): string => {
  const fields = Object.entries(event)
    .filter(([name, value]) => name !== 'event' && value !== undefined)
    .map(([name, value]) => `${name}=${formatValue(value as string | number | boolean)}`)
  return ['ManagedIdentityCredential =>', event.event, ...fields].join(' ')
}

/** The level `AZURE_LOG_LEVEL` asks for, if it names one (case-insensitive). */
export const logLevelFrom = (env: Environment): LogLevel | undefined => {
  const value = readVariable(env, 'AZURE_LOG_LEVEL')?.trim().toLowerCase()
  return LEVELS.find((level) => level === value)
}

/**
 * A logger that writes the events at `level` and above as `@azure/logger` lines
 * (`azure:azmi:info ManagedIdentityCredential => …`) to `write` (a shell passes stderr).
 */
export const lineLogger =
  (level: LogLevel, write: (line: string) => void) =>
  (event: LogEvent): void => {
    const eventLevel = logLevelOf(event)
    if (LEVELS.indexOf(eventLevel) > LEVELS.indexOf(level)) return
    write(`azure:azmi:${eventLevel} ${formatLogEvent(event)}\n`)
  }

/**
 * The logger a credential uses: the caller's; else, when `AZURE_LOG_LEVEL` in `env` names a
 * level, `@azure/logger` lines written to `write` (a shell's stderr); else none.
 */
export const loggerFor = (
  logger: ((event: LogEvent) => void) | undefined,
  env: Environment,
  write: (line: string) => void,
): ((event: LogEvent) => void) | undefined => {
  if (logger !== undefined) return logger
  const level = logLevelFrom(env)
  return level === undefined ? undefined : lineLogger(level, write)
}

/** The part of an `@azure/logger` `AzureLogger` the bridge uses. */
export interface AzureClientLogger {
  /** Writes a line at `error` level (a call that failed). */
  readonly error: (...args: ReadonlyArray<unknown>) => void
  /** Writes a line at `warning` level (a failed refresh or probe, a throttle window opening). */
  readonly warning: (...args: ReadonlyArray<unknown>) => void
  /** Writes a line at `info` level (the source chosen, a token cached). */
  readonly info: (...args: ReadonlyArray<unknown>) => void
  /** Writes a line at `verbose` level (each request, reply and wait). */
  readonly verbose: (...args: ReadonlyArray<unknown>) => void
}

/**
 * The bridge to `@azure/logger`: `logger: forAzureLogger(createClientLogger('azmi'))` sends every
 * event to that logger at its level, so `setLogLevel()` and `AzureLogger.log` apply to azmi too.
 */
export const forAzureLogger =
  (logger: AzureClientLogger) =>
  (event: LogEvent): void => {
    logger[logLevelOf(event)](formatLogEvent(event))
  }
