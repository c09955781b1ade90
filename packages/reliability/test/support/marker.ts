/**
 * Marker strings: content that must never reach the wire. A file that must not be read holds
 * one; afterwards the test checks that no recorded request carried it anywhere.
 */
import { randomBytes } from 'node:crypto'
import type { RecordedRequest } from '@azmi/emulator'

export const newMarker = (): string => `azmi-marker-${randomBytes(12).toString('hex')}`

/** Every byte of a recorded request that a client controls. */
export const wireText = (requests: ReadonlyArray<RecordedRequest>): string =>
  requests
    .map((request) =>
      [
        request.method,
        request.path,
        JSON.stringify(request.query),
        JSON.stringify(request.headers),
        request.body,
      ].join('\n'),
    )
    .join('\n')
