/**
 * The shape the MSI-style environments (IMDS, App Service, Azure ML, Arc, Service Fabric,
 * Cloud Shell) share: one token path below the environment's prefix, one method, a list of
 * request checks answered in the environment's own error shape, then the token. Each of
 * those modules states only what differs; this one turns that description into an
 * {@link Environment}.
 *
 * @module
 */
import type { RecordedRequest } from '../model.js'
import { type ErrorReply, notFoundReply, type Reply } from '../reply.js'
import type { EmulatorState, Environment, Minting } from './Environment.js'
import { firstRejection, type RequestCheck, requireMethod } from './requestChecks.js'

/** What one MSI-style environment is: where it answers, what it checks, how it issues. */
export interface TokenEndpoint
  extends Pick<Environment, 'name' | 'listener' | 'pathPrefix' | 'canLie' | 'variables' | 'challenge'> {
  /** The paths of the token endpoint (all below `pathPrefix`); any other is a 404. */
  readonly tokenPaths: ReadonlyArray<string>
  readonly method: 'GET' | 'POST'
  /** The environment's error shape, used by every check. */
  readonly error: ErrorReply
  /** Checked in order after the method; the first rejection is the answer. */
  readonly checks: ReadonlyArray<RequestCheck>
  /** The answer to a request that passed every check. */
  answerToken(request: RecordedRequest, state: EmulatorState, minting: Minting): Reply
}

/** The environment `endpoint` describes. */
export const tokenEndpoint = (endpoint: TokenEndpoint): Environment => {
  const { tokenPaths, method, error, checks, answerToken, ...environment } = endpoint
  const isTokenPath = (path: string): boolean => tokenPaths.includes(path)
  const allChecks = [requireMethod(method), ...checks]
  return {
    ...environment,
    isTokenPath,
    answer: (request, state, minting) => {
      if (!isTokenPath(request.path)) return notFoundReply(request.path)
      return firstRejection(allChecks, request, state, error) ?? answerToken(request, state, minting)
    },
  }
}
