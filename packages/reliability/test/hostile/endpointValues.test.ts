/**
 * Class 11: an endpoint variable that is not an absolute http(s) URL is refused before
 * anything is sent, and its error echoes no part of the value (docs/protocol.md §4: the
 * message names the variable, never its contents). `IDENTITY_ENDPOINT=admin:secret@host/path`
 * once came back as "admin:" in the error, since a URL parser reads `admin:` as a scheme.
 * Every endpoint variable of every source, both shells, over real sockets (the emulator
 * stays silent); the message, stack, `details`, `cause` and log events are scanned.
 */
import { closedPort, emulatorForTest, watchUnhandledRejections } from '@azmi/test-support'
import { describe, expect, test } from 'vitest'
import { credentialTarget, endpointVariableCases, SCOPE } from '../support/environments.js'
import { CLASS_GROUPS } from '../support/hostileClasses.js'
import { configuration, describeOutcome, settle } from '../support/settle.js'
import { credentialFor, shells } from '../support/shells.js'
import { reportGroup } from '../support/verdict.js'
import { visibleText } from '../support/visibleText.js'

watchUnhandledRejections()
const report = reportGroup('class-11-endpoint-values', CLASS_GROUPS[11])
const tuning = { timeoutMs: 2_000, deadlineMs: 5_000, retry: { maxRetries: 0 } }

/** Values without a scheme, each carrying user information, and the parts none may echo. */
const values = (port: number) => [
  { value: 'admin:secret@host/path', parts: ['admin', 'secret', 'host/path'] },
  { value: `k7user:k7pass@127.0.0.1:${port}/k7path`, parts: ['k7user', 'k7pass', 'k7path'] },
  { value: '//k7user:k7pass@k7host/k7path', parts: ['k7user', 'k7pass', 'k7host', 'k7path'] },
  { value: 'k7host:8080/k7path?k7query=1', parts: ['k7host', 'k7path', 'k7query'] },
]

describe('class 11: endpoint values without a scheme', () => {
  for (const { shell, source, variable } of endpointVariableCases(shells))
    test.concurrent(`${shell}, ${source}: ${variable}`, async (context) => {
      const emulator = await emulatorForTest(context)
      const target = credentialTarget(emulator, source)
      // a port where nothing listens: were a value used as a URL after all, nothing answers it
      const port = await closedPort()
      for (const { value, parts } of values(port)) {
        const env = { ...target.env, [variable]: value }
        const harness = credentialFor(shell, { ...target, env, ...tuning })
        const settled = await settle(() => harness.credential.getToken(SCOPE))
        harness.close()
        const visible = visibleText(settled.outcome, harness.events)
        const echoed = parts.filter((part) => visible.includes(part))
        report.record({
          group: report.group,
          case: `class 11: ${variable}=${value.replace(String(port), 'PORT')}`,
          shell,
          source,
          expected: `${describeOutcome(configuration('invalid_configuration'))}, no part echoed`,
          actual: `${describeOutcome(settled.outcome)}, ${echoed.length === 0 ? 'no part echoed' : `echoed ${echoed.join(', ')}`}`,
          budgetMs: tuning.deadlineMs,
          elapsedMs: settled.elapsedMs,
          requests: emulator.requests.length,
          test: context.task.fullName,
        })
        expect(echoed).toEqual([])
        expect(settled.outcome).toMatchObject({
          kind: 'error',
          code: 'invalid_configuration',
          details: { setting: variable },
        })
      }
      expect(emulator.requests).toEqual([])
    })
})
