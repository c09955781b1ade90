/**
 * Everything a caller or an operator could see of one call: the thrown error's message,
 * stack, `details` and `cause` (through `util.inspect`, as a log line or a crash report would
 * print it), its JSON, and every log event. Cases scan it for secrets.
 */
import { inspect } from 'node:util'
import type { LogEvent } from '@azmi/core'
import type { Outcome } from './settle.js'

/** The text of `outcome` and `events`, one piece after another. */
export const visibleText = (outcome: Outcome, events: ReadonlyArray<LogEvent | object>): string => {
  const error = outcome.kind === 'token' ? undefined : outcome.error
  const thrown =
    error instanceof Error
      ? [
          error.message,
          error.stack ?? '',
          String(error),
          JSON.stringify(error),
          JSON.stringify((error as { details?: unknown }).details),
          inspect(error, { depth: 8 }),
          inspect((error as { cause?: unknown }).cause, { depth: 8 }),
        ]
      : [String(error)]
  return [...thrown, JSON.stringify(events)].join('\n')
}

/** The pieces of `secret` at least `length` characters long that appear in `text`. */
export const partsSeen = (text: string, secret: string, length = 8): ReadonlyArray<string> => {
  const seen = new Set<string>()
  for (let start = 0; start + length <= secret.length; start += 1) {
    const part = secret.slice(start, start + length)
    if (text.includes(part)) seen.add(part)
  }
  return [...seen]
}
