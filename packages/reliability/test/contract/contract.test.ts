/**
 * One contract, both shells: every row of `contractTable.ts` runs through node-io's credential
 * and through fetch-io's (on Node's fetch, with node-io's file reader and, for Service Fabric,
 * node-io's pinning `send`) against the same emulator. Each must end as the row says, after
 * the row's number of requests; a token's requests must be exactly what the protocol names
 * for that source and identity (`wireShapes.ts`); no secret may ride in a URL; and the two
 * shells must agree, outcome and wire alike, wherever the row expects no difference.
 */
import { rmSync } from 'node:fs'
import type { Emulator, UserAssignedIdentity } from '@azmi/emulator'
import { createNodeTransport } from '@azmi/node-io'
import { emulatorPerFile, identityOption, RESOURCE, resetEmulator, SCOPE } from '@azmi/test-support'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { withPort } from '../support/environments.js'
import { type GarbageServer, startGarbageServer } from '../support/garbageServer.js'
import { CLASS_GROUPS } from '../support/hostileClasses.js'
import { settle } from '../support/settle.js'
import { credentialFor, type HarnessOptions, type Shell, shells } from '../support/shells.js'
import { reportGroup } from '../support/verdict.js'
import { CONTRACT_TABLE, type ContractRow, type Expected } from './contractTable.js'
import { FAULTS, type FaultSpec, NEWLINE_KEY } from './faults.js'
import { describeRequests, type Observed, observeOutcome } from './observations.js'
import { expectNoSecretInUrl, expectWire, wireShapes } from './wireShapes.js'

const emulator = emulatorPerFile()
/** The rows of a hostile-input class are also listed in that class's report group. */
const classReport = reportGroup('class-06-contract', CLASS_GROUPS[6])

let garbage: GarbageServer | undefined
beforeAll(async () => {
  garbage = await startGarbageServer()
})
afterAll(async () => {
  await garbage?.close()
  rmSync(NEWLINE_KEY, { force: true })
})

/** An identity the emulator does not know: the resource has not been assigned it. */
const unassignedIdentity = (emu: Emulator): UserAssignedIdentity => ({
  clientId: '0f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9',
  objectId: '9e8d7c6b-5a49-4837-a625-1403f2e1d0c9',
  resourceId: `${emu.identities.user.resourceId}-unassigned`,
})

const namedIdentity = (row: ContractRow, emu: Emulator): UserAssignedIdentity =>
  row.naming === 'unassigned' ? unassignedIdentity(emu) : emu.identities[row.naming]

/** The credential options of `row` on `shell`, and what to close afterwards. */
const optionsOf = (row: ContractRow, shell: Shell, emu: Emulator) => {
  const fault: FaultSpec = FAULTS[row.fault]
  // fetch cannot pin: on Service Fabric, fetch-io is given node-io's pinning transport
  const pinning =
    shell === 'fetch-io' && row.source === 'ServiceFabric' && fault.without !== 'pinning send'
      ? createNodeTransport()
      : undefined
  const env = emu.env(row.source)
  const options: HarnessOptions = {
    env: fault.endpoint === 'garbage' ? withPort(env, garbage?.port ?? 0) : env,
    ...identityOption(row.identity, namedIdentity(row, emu)),
    ...fault.tuning,
    ...(fault.without === 'ca' ? {} : { ca: emu.caCertificatePem }),
    host: {
      ...(fault.without === 'readFile' ? { readFile: false } : {}),
      ...(pinning === undefined ? {} : { send: pinning.send }),
    },
  }
  return { options, close: () => pinning?.close() }
}

/** Run `row` through `shell`, from a fresh fault script and an empty request log. */
const observe = async (row: ContractRow, shell: Shell) => {
  const emu = emulator()
  resetEmulator(emu)
  const { options, close } = optionsOf(row, shell, emu)
  FAULTS[row.fault].arrange?.(emu)
  emu.script(row.source, FAULTS[row.fault].script?.(emu) ?? [])
  const harness = credentialFor(shell, options)
  try {
    const { outcome } = await settle(() => harness.credential.getToken(SCOPE))
    return { outcome: observeOutcome(outcome, Date.now()), requests: describeRequests(emu) }
  } finally {
    harness.close()
    close()
    resetEmulator(emu)
  }
}

/** What `expected` looks like as an observation, for `toMatchObject`. */
const observedAs = (row: ContractRow, expected: Expected, emu: Emulator): Partial<Observed> => {
  if ('token' in expected) {
    const { clientId, objectId, resourceId } = emu.identities[expected.token]
    const claims = { aud: RESOURCE, oid: objectId, appid: clientId, resourceId }
    return { token: { ...claims, tokenType: 'Bearer', expired: false, refreshes: true } }
  }
  return {
    error: {
      name: expected.error,
      code: expected.code,
      source: row.source,
      isItsClass: true,
      ...expected.details,
    },
  }
}

const title = (row: ContractRow): string => {
  const identity = row.identity === 'system' ? 'system-assigned' : `${row.identity} (${row.naming})`
  return `${row.source}, ${identity}, ${row.fault}`
}

/** `AuthenticationError transport_error (connect)` or `token`: a row's outcome, briefly. */
const describeExpected = (expected: Expected): string =>
  'token' in expected
    ? 'token'
    : `${expected.error} ${expected.code}${describeDetail(expected.details ?? {})}`
const describeDetail = (details: Readonly<Record<string, unknown>>): string => {
  const detail = details.rule ?? details.kind
  return detail === undefined ? '' : ` (${String(detail)})`
}
const describeObserved = (observed: Observed): string => {
  if ('crash' in observed) return `crash: ${observed.crash}`
  if ('error' in observed)
    return `${String(observed.error.name)} ${String(observed.error.code)}${describeDetail(observed.error)}`
  return 'token'
}

/** One shell's run of `row`, checked against the row. */
const runChecked = async (row: ContractRow, shell: Shell, fullName: string) => {
  const emu = emulator()
  const observed = await observe(row, shell)
  const expected = shell === 'fetch-io' ? (row.onFetchIo ?? row.expected) : row.expected
  if (row.hostileClass !== undefined)
    classReport.record({
      group: classReport.group,
      case: `class ${row.hostileClass}: ${row.fault}`,
      shell,
      source: row.source,
      expected: describeExpected(expected),
      actual: describeObserved(observed.outcome),
      requests: observed.requests.length,
      note: 'a contract row: both shells must also agree',
      test: fullName,
    })
  expect(observed.outcome, shell).toMatchObject(observedAs(row, expected, emu))
  expect(observed.requests, shell).toHaveLength(row.requests)
  expectNoSecretInUrl(observed.requests, emu, row.source)
  if (row.fault === 'none' && 'token' in expected)
    expectWire(observed.requests, wireShapes(emu, row.source, row.identity, emu.identities[expected.token]))
  return observed
}

describe('node-io and fetch-io keep one contract', () => {
  for (const row of CONTRACT_TABLE) {
    test.skipIf(row.skip === true)(title(row), async (context) => {
      const runs = []
      for (const shell of row.only === undefined ? shells : [row.only])
        runs.push(await runChecked(row, shell, context.task.fullName))
      const [viaNode, viaFetch] = runs
      if (viaNode === undefined || viaFetch === undefined) return
      // the same requests on the wire, and the same outcome unless the row expects a difference
      expect(viaFetch.requests).toEqual(viaNode.requests)
      if (row.onFetchIo === undefined) expect(viaFetch.outcome).toEqual(viaNode.outcome)
    })
  }
})
