/**
 * The vitest `setupFiles` module of every project (see the root `vitest.config.ts`): it
 * installs the loopback guard (`loopbackGuard.ts`) for each test file and fails any test after
 * which a connection outside 127.0.0.0/8 and `::1` is on record, naming where it went. A test
 * that trips the guard on purpose takes its violations with `takeLoopbackViolations()`.
 */
import { afterAll, afterEach } from 'vitest'
import { describeViolation, installLoopbackGuard, takeLoopbackViolations } from './loopbackGuard.js'

const uninstall = installLoopbackGuard()

afterEach(() => {
  const left = takeLoopbackViolations()
  if (left.length > 0)
    throw new Error(`connections outside loopback: ${left.map(describeViolation).join('; ')}`)
})

afterAll(() => uninstall())
