/** `AZURE_LOG_LEVEL` and the `@azure/logger` bridge (docs/protocol.md §6.1). */
import { describe, expect, test } from 'vitest'
import { forAzureLogger, formatLogEvent, type LogEvent, lineLogger, logLevelFrom } from '../src/index.js'

const EVENTS: ReadonlyArray<LogEvent> = [
  { event: 'failed', source: 'Imds', code: 'timeout' },
  { event: 'refresh-failed', source: 'Imds', code: 'http_error' },
  { event: 'token-cached', source: 'Imds', scope: 'https://vault.azure.net/.default', expiresOnTimestamp: 1 },
  { event: 'request-sent', source: 'Imds', method: 'GET', url: 'http://169.254.169.254/x?y=1 z' },
]

describe('AZURE_LOG_LEVEL', () => {
  test.each([
    ['verbose', 'verbose'],
    ['INFO', 'info'],
    ['warning', 'warning'],
    ['loud', undefined],
    ['', undefined],
  ])('%j reads as %s', (value, level) => {
    expect(logLevelFrom({ AZURE_LOG_LEVEL: value })).toBe(level)
  })

  test.each([
    ['error', 1],
    ['warning', 2],
    ['info', 3],
    ['verbose', 4],
  ] as const)('at %s, %i of the 4 events are written, each an @azure/logger line', (level, count) => {
    const lines: Array<string> = []
    for (const event of EVENTS) lineLogger(level, (line) => lines.push(line))(event)
    expect(lines).toHaveLength(count)
    for (const line of lines)
      expect(line).toMatch(/^azure:azmi:(error|warning|info|verbose) ManagedIdentityCredential => \S+/)
  })

  test('a value with spaces is quoted', () => {
    expect(formatLogEvent(EVENTS[3] as LogEvent)).toContain('url="http://169.254.169.254/x?y=1 z"')
  })
})

test('the bridge sends each event to the AzureLogger method of its level', () => {
  const calls: Array<[string, unknown]> = []
  const logger = {
    error: (message: unknown) => calls.push(['error', message]),
    warning: (message: unknown) => calls.push(['warning', message]),
    info: (message: unknown) => calls.push(['info', message]),
    verbose: (message: unknown) => calls.push(['verbose', message]),
  }
  for (const event of EVENTS) forAzureLogger(logger)(event)
  expect(calls.map(([level]) => level)).toEqual(['error', 'warning', 'info', 'verbose'])
  expect(calls[0]?.[1]).toBe('ManagedIdentityCredential => failed source=Imds code=timeout')
})
