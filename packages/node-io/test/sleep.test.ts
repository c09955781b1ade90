import type { AbortSignalLike } from '@azmi/core'
import { describe, expect, it } from 'vitest'
import { sleep } from '../src/index.js'

/** An `AbortSignalLike` that counts its listeners, injected instead of spying on a real one. */
const countingSignal = () => {
  const listeners = new Set<() => void>()
  let aborted = false
  const signal: AbortSignalLike = {
    get aborted() {
      return aborted
    },
    addEventListener: (_type, listener) => listeners.add(listener),
    removeEventListener: (_type, listener) => listeners.delete(listener),
  }
  const abort = (): void => {
    aborted = true
    for (const listener of [...listeners]) listener()
  }
  return { signal, abort, listenerCount: () => listeners.size }
}

describe('sleep', () => {
  it('resolves after the delay, and leaves no listener behind', async () => {
    const { signal, listenerCount } = countingSignal()
    const slept = sleep(5, signal)
    expect(listenerCount()).toBe(1)
    await expect(slept).resolves.toBeUndefined()
    expect(listenerCount()).toBe(0)
  })

  it('resolves without a signal', async () => {
    await expect(sleep(1, undefined)).resolves.toBeUndefined()
  })

  it('wakes as soon as the signal aborts (the delay is an hour)', async () => {
    const { signal, abort, listenerCount } = countingSignal()
    const slept = sleep(3_600_000, signal)
    abort()
    await expect(slept).resolves.toBeUndefined()
    expect(listenerCount()).toBe(0)
  })

  it('with a real AbortController too', async () => {
    const controller = new AbortController()
    const slept = sleep(3_600_000, controller.signal)
    controller.abort()
    await expect(slept).resolves.toBeUndefined()
  })

  it('returns at once when the signal has already aborted, without listening', async () => {
    const { signal, abort, listenerCount } = countingSignal()
    abort()
    await expect(sleep(3_600_000, signal)).resolves.toBeUndefined()
    expect(listenerCount()).toBe(0)
  })
})
