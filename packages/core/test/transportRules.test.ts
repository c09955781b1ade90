/**
 * The transport rules every shell applies through the core (docs/protocol.md §1.5): a reply
 * announcing more than the cap is refused before it is read, and the timeout, abort and
 * too-large failures read the same in every shell.
 */
import { describe, expect, test } from 'vitest'
import { announcesMoreThan, interruptedFailure, tooLargeFailure } from '../src/index.js'

describe('announcesMoreThan', () => {
  test.each([
    ['11', true],
    ['10', false],
    ['0', false],
    [undefined, false],
    [null, false],
    ['', false],
    ['eleven', false],
    ['Infinity', false],
  ] as const)('content-length %s over a cap of 10: %s', (length, over) => {
    expect(announcesMoreThan(length, 10)).toBe(over)
  })
})

test('interruptedFailure: timeout names the time the attempt had; aborted names the signal', () => {
  expect(interruptedFailure('timeout', 250)).toEqual({
    _tag: 'TransportFailure',
    kind: 'timeout',
    detail: "no complete response within the request's timeout of 250 ms",
  })
  expect(interruptedFailure('aborted', 250)).toMatchObject({
    kind: 'aborted',
    detail: expect.stringMatching(/AbortSignal/),
  })
})

test('tooLargeFailure: with and without an announced length', () => {
  expect(tooLargeFailure(10)).toMatchObject({
    kind: 'response-too-large',
    detail: 'the reply body exceeds the limit of 10 bytes',
  })
  expect(tooLargeFailure(10, 2048)).toMatchObject({
    kind: 'response-too-large',
    detail: 'the reply announces 2048 bytes, over the limit of 10 bytes',
  })
})
