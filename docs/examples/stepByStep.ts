// Level (b): the plan for a scope as data, driven by your own code one step at a time — or
// handed to the core's interpreter, `runPlan`, which adds the deadline, request ids, secret
// scrubbing and the IMDS limiter.
import { createHash, randomUUID } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import {
  type AccessToken,
  type Environment,
  fileFailure,
  type ManagedIdentityError,
  type Plan,
  planToken,
  runPlan,
  selectSource,
} from '@azmi/core'
import { capabilities, fetchSend } from './ownSend.js'

type Result =
  | { readonly _tag: 'Left'; readonly left: ManagedIdentityError }
  | { readonly _tag: 'Right'; readonly right: AccessToken }

/** The plan `env` selects for `scope`, or why there is none. */
const planFor = (env: Environment, scope: string) => {
  const source = selectSource(env)
  if (source._tag === 'Left') return source
  return planToken(source.right, scope, { platform: capabilities.platform })
}

/** Perform each step yourself; `trace` receives one line per step. */
export const driveByHand = async (
  env: Environment,
  scope: string,
  trace: (line: string) => void,
): Promise<Result> => {
  const planned = planFor(env, scope)
  if (planned._tag === 'Left') return planned
  let plan: Plan<AccessToken> = planned.right
  let requestNumber = 0
  while (plan._tag !== 'Done' && plan._tag !== 'Failed') {
    switch (plan._tag) {
      case 'Send': {
        // what runPlan would add: a fresh request id, and the count the request bound is kept with
        requestNumber += 1
        const requestId = randomUUID()
        const request = {
          ...plan.request,
          headers: { ...plan.request.headers, 'x-ms-client-request-id': requestId },
        }
        const sentAt = Date.now()
        const result = await fetchSend(request, undefined)
        trace(
          `Send ${request.method} ${new URL(request.url).pathname} → ${result._tag === 'Right' ? result.right.status : result.left.kind}`,
        )
        plan = plan.next({
          result,
          sentAt,
          receivedAt: Date.now(),
          timeoutMs: request.timeoutMs,
          requestNumber,
          requestId,
        })
        break
      }
      case 'ReadFile': {
        trace(`ReadFile ${plan.path}`)
        const text = await readFile(plan.path, 'utf8').catch(() => undefined)
        plan = plan.next(
          text === undefined
            ? { _tag: 'Left', left: fileFailure('not-found', 'unreadable') }
            : { _tag: 'Right', right: text },
        )
        break
      }
      case 'Wait':
        trace(`Wait ${plan.minMs}–${plan.maxMs} ms`)
        await new Promise((resolve) => setTimeout(resolve, plan._tag === 'Wait' ? plan.minMs : 0))
        plan = plan.next()
        break
      case 'Digest':
        plan = plan.next(createHash('sha256').update(plan.text, 'utf8').digest('hex'))
        break
      case 'Note':
        trace(`Note ${plan.event.event}`)
        plan = plan.next()
        break
      default: {
        // a step kind added to the core fails to compile here, not at run time
        const unhandled: never = plan
        throw new Error(`unknown step ${JSON.stringify(unhandled)}`)
      }
    }
  }
  trace(plan._tag)
  return plan._tag === 'Done' ? { _tag: 'Right', right: plan.value } : { _tag: 'Left', left: plan.error }
}

/** The same plan, run by the core's interpreter with your capabilities. */
export const runWithInterpreter = async (env: Environment, scope: string) => {
  const source = selectSource(env)
  if (source._tag === 'Left') return { result: source, requests: 0 }
  const planned = planToken(source.right, scope, { platform: capabilities.platform })
  if (planned._tag === 'Left') return { result: planned, requests: 0 }
  return runPlan(planned.right, {
    capabilities,
    source: source.right._tag,
    signal: undefined,
    deadlineMs: 30_000,
    // the values the plan sends that must never come back in an error: scrubbed from every reply
    secrets: [env.IDENTITY_HEADER, env.MSI_SECRET].filter((secret): secret is string => secret !== undefined),
    files: new Map(),
  })
}
