/**
 * Unhandled promise rejections, watched for the whole test file: a credential must never
 * leave one behind (a background refresh, a late socket error, a lost race). Each test is
 * checked after one more turn of the event loop, and the file again at the end.
 */
import { afterAll, afterEach, beforeAll, expect } from 'vitest'

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve))

export const watchUnhandledRejections = (): ReadonlyArray<unknown> => {
  const seen: unknown[] = []
  const listener = (reason: unknown) => {
    seen.push(reason)
  }
  beforeAll(() => {
    process.on('unhandledRejection', listener)
  })
  afterEach(async () => {
    await nextTurn()
    await nextTurn()
    expect(seen).toEqual([])
  })
  afterAll(async () => {
    await nextTurn()
    process.off('unhandledRejection', listener)
    expect(seen).toEqual([])
  })
  return seen
}
