/**
 * Credential time that is not wall-clock time, injected through the core's `now` and `sleep`
 * capabilities (never by patching `Date` or timers). The transport's own timeouts stay real.
 */
import type { Capabilities } from '@azmi/core'
import type { ClockCapabilities } from './shells.js'

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

export interface VirtualClock {
  readonly now: () => number
  /** Every wait the credential asked for, in credential milliseconds. */
  readonly sleeps: ReadonlyArray<number>
  readonly capabilities: (real: Capabilities) => ClockCapabilities
}

/**
 * Time that moves only when the credential sleeps: a wait of `ms` advances the clock by `ms`
 * at once. It starts on a whole second, so HTTP dates (1 s resolution) land on exact delays.
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

export interface OffsetClock {
  readonly now: () => number
  /** Jump so that `now()` reads `target` (real time keeps running from there). */
  readonly jumpTo: (target: number) => void
  readonly capabilities: (real: Capabilities) => ClockCapabilities
}

/** Real time plus an offset the test moves forward, to cross refresh times and expiries. */
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
