/**
 * The faults of the contract table, by name: what the emulator does to a source's token
 * requests, how the credential is tuned for it, and what the host withholds. `none` is a
 * healthy endpoint on a host that gives everything (the test CA, a file reader and, for
 * fetch-io on Service Fabric, node-io's pinning `send`).
 */
import { writeFileSync } from 'node:fs'
import { LINUX_KEY_DIRECTORY } from '@azmi/core'
import type { Emulator, Fault } from '@azmi/emulator'
import type { HarnessOptions } from '../support/shells.js'

/** One named fault. */
export interface FaultSpec {
  /** What the emulator answers the row's source with, one fault per request, in order. */
  readonly script?: (emulator: Emulator) => ReadonlyArray<Fault>
  /** Timeouts, retries and the reply cap of the credential (default: the shells' own). */
  readonly tuning?: Pick<HarnessOptions, 'timeoutMs' | 'retry' | 'maxResponseBytes'>
  /** Done to the emulator once the row's variables are read, and undone after the run. */
  readonly arrange?: (emulator: Emulator) => void
  /** What the host does not give the credential. */
  readonly without?: 'ca' | 'readFile' | 'pinning send'
  /**
   * `garbage`: the row's endpoints point at a raw TCP server (started by the contract suite)
   * that answers whatever it is sent with bytes that are not HTTP.
   */
  readonly endpoint?: 'garbage'
}

/** An Arc key whose contents end in a newline, as a key edited by hand would (removed by the suite). */
export const NEWLINE_KEY = `${LINUX_KEY_DIRECTORY}/azmi-contract-${process.pid}-newline.key`

/** Two retries, as close together as the protocol allows (0.5 s after each failure, §1.5). */
const quickRetries = { retry: { maxRetries: 2, initialDelayMs: 500, maxDelayMs: 1_000 } }
const noRetries = { retry: { maxRetries: 0 } }
const oneShort = { timeoutMs: 300, retry: { maxRetries: 0 } }

const times = (count: number, fault: Fault): ReadonlyArray<Fault> =>
  Array.from({ length: count }, () => fault)
const once = (fault: Fault) => () => [fault]
const entraRefusal = JSON.stringify({ error: 'invalid_client', error_description: 'AADSTS700213: no match' })
const OVER_1_MIB = 1_048_576 + 4096

const faults = {
  none: {},
  '500 twice, then a token': { script: () => times(2, { status: 500 }), tuning: quickRetries },
  '500 past the last retry': { script: () => times(3, { status: 500 }), tuning: quickRetries },
  '404 and 429, both retried': { script: () => [{ status: 404 }, { status: 429 }], tuning: quickRetries },
  '503, then 429 with Retry-After: 0': {
    script: () => [{ status: 503 }, { status: 429, headers: { 'retry-after': '0' } }],
    tuning: quickRetries,
  },
  '503, no retries': { script: once({ status: 503 }), tuning: noRetries },
  '400': { script: once({ status: 400 }), tuning: quickRetries },
  'a 200 that is not JSON': { script: once({ malformed: 'not-json' }), tuning: noRetries },
  'no access_token': { script: once({ malformed: 'no-access-token' }) },
  'a token labelled text/html': { script: once({ malformed: 'wrong-content-type' }) },
  'an already expired token': { script: once({ malformed: 'expired' }) },
  'a body over 1 MiB': { script: once({ oversizedBodyBytes: OVER_1_MIB }), tuning: noRetries },
  '4 KiB past a 1 KiB maxResponseBytes': {
    script: once({ oversizedBodyBytes: 4096 }),
    tuning: { ...noRetries, maxResponseBytes: 1024 },
  },
  'no answer within the timeout': { script: once({ hang: true }), tuning: oneShort },
  'a 302 elsewhere': {
    script: (emulator) => [{ redirectTo: `${emulator.url}/redirected/token` }],
    tuning: noRetries,
  },
  'dropped halfway through the body': { script: once({ drop: 'mid-body' }), tuning: noRetries },
  'dropped before the headers': { script: once({ drop: 'before-headers' }), tuning: noRetries },
  'dropped before the headers, then a token': {
    script: once({ drop: 'before-headers' }),
    tuning: quickRetries,
  },
  'a reply for another identity': { script: once({ lie: 'identity' }), tuning: noRetries },
  'a legacy agent, which ignores the selector': { arrange: (emulator) => emulator.setArcAgent('legacy') },
  'Entra ID refuses (401 invalid_client)': { script: once({ status: 401, body: entraRefusal }) },
  'a realm outside the key directory': { script: once({ arcRealm: '/etc/passwd.key' }) },
  'a 200 instead of the challenge': {
    script: once({ status: 200, body: '{"access_token":"not-accepted-here"}' }),
  },
  'a CA the host does not trust': { without: 'ca', tuning: noRetries },
  'a certificate other than the pinned one': {
    arrange: (emulator) => emulator.useServiceFabricCertificate('alternate'),
  },
  'no pinning send (plain fetch)': { without: 'pinning send' },
  'no readFile': { without: 'readFile' },
  'something that is not HTTP answering': { endpoint: 'garbage', tuning: noRetries },
  'a key file ending in a newline': {
    // written afresh for each run, in the real key directory (so the row needs root on Linux)
    script: () => {
      writeFileSync(NEWLINE_KEY, 'c2VjcmV0LWtleS1mb3ItdGhlLWNvbnRyYWN0\n', { mode: 0o600 })
      return [{ arcRealm: NEWLINE_KEY }]
    },
    tuning: noRetries,
  },
} satisfies Readonly<Record<string, FaultSpec>>

/** The name of a fault of {@link FAULTS}. */
export type FaultName = keyof typeof faults

/** Every fault a row may name. */
export const FAULTS: Readonly<Record<FaultName, FaultSpec>> = faults
