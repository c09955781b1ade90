/**
 * The request handler of one listener: read the request, find its environment by mount,
 * record it, let the conditions decide a token request's answer (scripted fault, outage,
 * IMDS limiter, normal), and deliver it.
 *
 * @module
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import { deliver } from './deliver.js'
import type { EmulatorState, Environment } from './environments/Environment.js'
import type { Answers } from './faultPlan.js'
import { sendNow } from './faultPlan.js'
import type { RecordedRequest } from './model.js'
import type { Mount } from './mounts.js'
import { type ReceivedRequest, receiveRequest } from './receive.js'
import { notFoundReply, oauthError } from './reply.js'
import type { Timers } from './timers.js'
import { type Conditions, planTokenAnswer } from './tokenRequests.js'
import type { IssueToken } from './tokens.js'

/** What a listener's handler needs from the emulator. */
export interface Dispatch {
  /** The environments this listener serves, and where. */
  readonly mounts: ReadonlyArray<Mount>
  readonly state: EmulatorState
  readonly issuers: { readonly valid: IssueToken; readonly expired: IssueToken }
  readonly conditions: Conditions
  readonly timers: Timers
  record(request: RecordedRequest): void
}

const answersFor = (dispatch: Dispatch, environment: Environment, request: RecordedRequest): Answers => {
  const { state, issuers } = dispatch
  const answers: Answers = {
    normal: () => environment.answer(request, state, { issue: issuers.valid, lie: false }),
    expired: () => environment.answer(request, state, { issue: issuers.expired, lie: false }),
    lying: () => environment.answer(request, state, { issue: issuers.valid, lie: true }),
  }
  const challenge = environment.challenge
  return challenge === undefined ? answers : { ...answers, challenge }
}

/** The request as recorded (its path as sent), and as its environment sees it (its own path). */
const routed = (mounts: ReadonlyArray<Mount>, received: ReceivedRequest) => {
  for (const mount of mounts) {
    const path = mount.route(received.path)
    if (path === undefined) continue
    const recorded: RecordedRequest = {
      ...received,
      environment: mount.environment.name,
      ...(mount.via === undefined ? {} : { via: mount.via }),
    }
    return { recorded, environment: mount.environment, seen: { ...recorded, path } }
  }
  return {
    recorded: { ...received, environment: 'unknown' as const },
    environment: undefined,
    seen: undefined,
  }
}

const answer = (dispatch: Dispatch, received: ReceivedRequest, response: ServerResponse): void => {
  const { recorded, environment, seen } = routed(dispatch.mounts, received)
  dispatch.record(recorded)
  if (environment === undefined || seen === undefined) {
    deliver(response, sendNow(notFoundReply(recorded.path)), dispatch.timers)
    return
  }
  const answers = answersFor(dispatch, environment, seen)
  if (!environment.isTokenPath(seen.path)) {
    deliver(response, sendNow(answers.normal()), dispatch.timers)
    return
  }
  const delivery = planTokenAnswer(dispatch.conditions, environment.name, answers, (finished) =>
    response.once('close', finished),
  )
  deliver(response, delivery, dispatch.timers)
}

/** A `request` listener for `node:http` or `node:https` servers. */
export const handleRequests =
  (dispatch: Dispatch) =>
  (incoming: IncomingMessage, response: ServerResponse): void => {
    receiveRequest(incoming)
      .then((received) => answer(dispatch, received, response))
      .catch((error: unknown) => {
        // The client left mid-request, or an environment has a bug: say so if we still can.
        if (response.headersSent || incoming.destroyed) {
          response.destroy()
          return
        }
        const failure = oauthError(500, 'emulator_error', String(error))
        response.writeHead(failure.status, failure.headers)
        response.end(failure.body)
      })
  }
