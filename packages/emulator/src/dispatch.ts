/**
 * The request handler of one listener: record the request, find the environment by path
 * prefix, take the next scripted fault if it is a token request, and deliver the answer.
 *
 * @module
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import { deliver } from './deliver.js'
import type { EmulatorState, Environment } from './environments/Environment.js'
import { isUnderPrefix } from './environments/Environment.js'
import { type Answers, planDelivery, sendNow } from './faultPlan.js'
import type { FaultQueues } from './faultQueues.js'
import type { RecordedRequest } from './model.js'
import { receiveRequest } from './receive.js'
import { jsonReply, notFoundReply } from './reply.js'
import type { Timers } from './timers.js'
import type { IssueToken } from './tokens.js'

/** What a listener's handler needs from the emulator. */
export interface Dispatch {
  /** The environments this listener serves. */
  readonly environments: ReadonlyArray<Environment>
  readonly state: EmulatorState
  readonly issuers: { readonly valid: IssueToken; readonly expired: IssueToken }
  readonly faults: FaultQueues
  readonly timers: Timers
  record(request: RecordedRequest): void
}

const answersFor = (dispatch: Dispatch, environment: Environment, request: RecordedRequest): Answers => {
  const { state, issuers } = dispatch
  const answers: Answers = {
    normal: () => environment.answer(request, state, issuers.valid),
    expired: () => environment.answer(request, state, issuers.expired),
  }
  const challenge = environment.challenge
  return challenge === undefined ? answers : { ...answers, challenge }
}

const answer = (dispatch: Dispatch, request: RecordedRequest, response: ServerResponse): void => {
  const environment = dispatch.environments.find((each) => each.name === request.environment)
  if (environment === undefined) {
    deliver(response, sendNow(notFoundReply(request.path)), dispatch.timers)
    return
  }
  const fault = environment.isTokenPath(request.path) ? dispatch.faults.next(environment.name) : undefined
  deliver(response, planDelivery(fault, answersFor(dispatch, environment, request)), dispatch.timers)
}

/** A `request` listener for `node:http` or `node:https` servers. */
export const handleRequests =
  (dispatch: Dispatch) =>
  (incoming: IncomingMessage, response: ServerResponse): void => {
    const environmentOf = (path: string) =>
      dispatch.environments.find((each) => isUnderPrefix(path, each.pathPrefix))?.name ?? 'unknown'
    receiveRequest(incoming, environmentOf)
      .then((request) => {
        dispatch.record(request)
        answer(dispatch, request, response)
      })
      .catch((error: unknown) => {
        // The client left mid-request, or an environment has a bug: say so if we still can.
        if (response.headersSent || incoming.destroyed) {
          response.destroy()
          return
        }
        response.writeHead(500, jsonReply(500, null).headers)
        response.end(JSON.stringify({ error: 'emulator_error', error_description: String(error) }))
      })
  }
