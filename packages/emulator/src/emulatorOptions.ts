/**
 * The checks `startEmulator` makes before it touches the disk or a port, so that a wrong
 * option fails at once with a `RangeError` that names it.
 *
 * @module
 */
import type { EmulatorOptions } from './Emulator.js'
import { limitsProblem } from './imdsLimiter.js'
import type { ArcAgentMode } from './model.js'

const arcAgentModes: ReadonlyArray<ArcAgentMode> = ['current', 'legacy']

/** A `RangeError` unless `mode` is an Arc agent mode (callers may be untyped). */
export const checkArcAgentMode = (mode: ArcAgentMode): void => {
  if (!arcAgentModes.includes(mode))
    throw new RangeError(`arcAgent must be 'current' or 'legacy', got ${JSON.stringify(mode)}`)
}

const isWhole = (value: number, minimum: number, maximum = Number.MAX_SAFE_INTEGER): boolean =>
  Number.isSafeInteger(value) && value >= minimum && value <= maximum

/** Why the options cannot be, in the order a reader meets them, or `undefined`. */
const optionsProblem = (options: EmulatorOptions): string | undefined => {
  const { tokenLifetimeSeconds, imdsLimits, imdsLatencyMs, arcAgentPort, tokenProxyPath } = options
  if (tokenLifetimeSeconds !== undefined && !isWhole(tokenLifetimeSeconds, 1))
    return `tokenLifetimeSeconds must be a whole number of seconds > 0, got ${tokenLifetimeSeconds}`
  const limits = imdsLimits === undefined ? undefined : limitsProblem(imdsLimits)
  if (limits !== undefined) return `imdsLimits: ${limits}`
  if (imdsLatencyMs !== undefined && !isWhole(imdsLatencyMs, 0))
    return `imdsLatencyMs must be a whole number ≥ 0, got ${imdsLatencyMs}`
  if (arcAgentPort !== undefined && !isWhole(arcAgentPort, 0, 65_535))
    return `arcAgentPort must be a port number 0-65535, got ${arcAgentPort}`
  if (tokenProxyPath !== undefined && /[?#\s]/.test(tokenProxyPath))
    return `tokenProxyPath must be a URL path without query, fragment or spaces, got ${JSON.stringify(tokenProxyPath)}`
  return undefined
}

/** Throws a `RangeError` for the first option out of range. */
export const checkOptions = (options: EmulatorOptions): void => {
  const problem = optionsProblem(options)
  if (problem !== undefined) throw new RangeError(problem)
  if (options.arcAgent !== undefined) checkArcAgentMode(options.arcAgent)
}
