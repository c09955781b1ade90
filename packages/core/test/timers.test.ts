/** `sleepOver`: any length (past what a timer holds), early wake on abort, unref for background work. */
import { expect, test } from 'vitest'
import { createCancellation } from '../src/cancellation.js'
import { LONGEST_TIMER_MS, sleepOver } from '../src/index.js'

/** Timer functions that record what was asked and fire when told. */
const manualTimers = () => {
  const armed: Array<{ ms: number; fire: () => void; unref: boolean; cleared: boolean }> = []
  return {
    armed,
    timers: {
      set: (fire: () => void, ms: number) => {
        const handle = { ms, fire, unref: false, cleared: false }
        armed.push(handle)
        return handle
      },
      clear: (handle: { cleared: boolean }) => {
        handle.cleared = true
      },
      unref: (handle: { unref: boolean }) => {
        handle.unref = true
      },
    },
  }
}

test('a delay longer than a timer holds is slept in pieces, never fired early', async () => {
  const { armed, timers } = manualTimers()
  let woke = false
  const sleeping = sleepOver(timers)(35 * 24 * 3_600_000, undefined).then(() => {
    woke = true
  })
  expect(armed.map((each) => each.ms)).toEqual([LONGEST_TIMER_MS])
  armed[0]?.fire()
  await Promise.resolve()
  expect(woke).toBe(false)
  expect(armed[1]?.ms).toBe(35 * 24 * 3_600_000 - LONGEST_TIMER_MS)
  armed[1]?.fire()
  await sleeping
  expect(woke).toBe(true)
})

test('an abort wakes it at once and clears the timer; background work unrefs it', async () => {
  const { armed, timers } = manualTimers()
  const cancellation = createCancellation()
  const sleeping = sleepOver(timers)(10_000, cancellation.signal, { background: true })
  expect(armed[0]?.unref).toBe(true)
  cancellation.cancel('stop')
  await sleeping
  expect(armed[0]?.cleared).toBe(true)
})
