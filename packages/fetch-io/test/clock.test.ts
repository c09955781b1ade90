import { now, random, sleep } from '@azmi/fetch-io'
import { describe, expect, it } from 'vitest'
import { recordingSignal } from './support/recordingSignal.js'

describe('sleep', () => {
  it('resolves after the time has passed', async () => {
    await expect(sleep(5, undefined)).resolves.toBeUndefined()
  })

  it('resolves at once for a signal that is already aborted, attaching nothing', async () => {
    const controller = new AbortController()
    controller.abort()
    const { signal, listeners } = recordingSignal(controller)
    // an hour: if the abort were ignored the test would time out
    await expect(sleep(3_600_000, signal)).resolves.toBeUndefined()
    expect(listeners.size).toBe(0)
  })

  it('resolves when the signal aborts mid-sleep, and detaches its listener', async () => {
    const controller = new AbortController()
    const { signal, listeners } = recordingSignal(controller)
    const sleeping = sleep(3_600_000, signal)
    expect(listeners.size).toBe(1)
    controller.abort()
    await expect(sleeping).resolves.toBeUndefined()
    expect(listeners.size).toBe(0)
  })

  it('detaches its listener when the time passes first', async () => {
    const { signal, listeners } = recordingSignal(new AbortController())
    await sleep(5, signal)
    expect(listeners.size).toBe(0)
  })
})

describe('now and random', () => {
  it('now reads the wall clock in epoch milliseconds', () => {
    const before = Date.now()
    const read = now()
    expect(read).toBeGreaterThanOrEqual(before)
    expect(read).toBeLessThanOrEqual(Date.now())
  })

  it('random draws from [0, 1)', () => {
    const draws = Array.from({ length: 1000 }, random)
    expect(draws.every((draw) => draw >= 0 && draw < 1)).toBe(true)
    expect(new Set(draws).size).toBeGreaterThan(900)
  })
})
