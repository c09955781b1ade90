/**
 * Unhandled promise rejections, watched for a whole test file: a credential must never leave
 * one behind (a background refresh, a late socket error, a lost race). Each test is checked
 * after two more turns of the event loop, and the file again at its end.
 */
import { afterAll, afterEach, beforeAll, expect } from 'vitest'
import { nextTurn } from './waiting.js'

/** Fail any test of this file after which a rejection went unhandled; call at the top level. */
export const watchUnhandledRejections = (): ReadonlyArray<unknown> => {
  const seen: unknown[] = []
  const listener = (reason: unknown) => {
    seen.push(reason)
  }
  beforeAll(() => {
    process.on('unhandledRejection', listener)
  })
  afterEach(async () => {
    await nextTurn(2)
    expect(seen).toEqual([])
  })
  afterAll(async () => {
    await nextTurn()
    process.off('unhandledRejection', listener)
    expect(seen).toEqual([])
  })
  return seen
}
