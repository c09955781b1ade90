/**
 * Credential time that is not wall-clock time, injected through the core's `now`, `sleep` and
 * `random` capabilities (never by patching `Date` or timers). Each clock receives the shell's
 * real capabilities, so it can wrap their sleep; a transport's own timeouts stay real.
 */
import type { Capabilities } from '@azmi/core'

/** The clock-related capabilities a test may replace. */
export type ClockCapabilities = Partial<Pick<Capabilities, 'now' | 'sleep' | 'random'>>

/** Builds the replacement capabilities from the shell's real ones. */
export type Clock = (real: Capabilities) => ClockCapabilities

/** A clock `factor` times faster than real time from now on; sleeps are `factor` times shorter. */
export const scaledClock =
  (factor: number) =>
  (real: Capabilities): Required<ClockCapabilities> & { readonly origin: number } => {
    const origin = real.now()
    return {
      origin,
      now: () => origin + (real.now() - origin) * factor,
      sleep: (ms, signal) => real.sleep(ms / factor, signal),
      // no jitter: the schedule is the policy's nominal one
      random: () => 0.5,
    }
  }

/** Time that moves only when the credential sleeps. */
export interface VirtualClock {
  readonly now: () => number
  /** Every wait the credential asked for, in credential milliseconds. */
  readonly sleeps: ReadonlyArray<number>
  readonly capabilities: Clock
}

/**
 * A {@link VirtualClock}: a wait of `ms` advances it by `ms` at once. It starts on a whole
 * second, so HTTP dates (1 s resolution) land on exact delays.
 */
export const virtualClock = (): VirtualClock => {
  const start = Math.ceil(Date.now() / 1000) * 1000
  let advanced = 0
  const sleeps: number[] = []
  const now = () => start + advanced
  return {
    now,
    sleeps,
    capabilities: (real) => ({
      now,
      sleep: (ms, signal) => {
        sleeps.push(ms)
        advanced += ms
        return real.sleep(0, signal)
      },
      random: () => 0.5,
    }),
  }
}

/** Real time plus an offset the test moves forward. */
export interface OffsetClock {
  readonly now: () => number
  /** Jump so that `now()` reads `target` (real time keeps running from there). */
  readonly jumpTo: (target: number) => void
  readonly capabilities: Clock
}

/** An {@link OffsetClock}, to cross refresh times and expiries hours ahead. */
export const offsetClock = (): OffsetClock => {
  let offset = 0
  const now = () => Date.now() + offset
  return {
    now,
    jumpTo: (target) => {
      offset += target - now()
    },
    capabilities: () => ({ now }),
  }
}
