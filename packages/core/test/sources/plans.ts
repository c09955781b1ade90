/**
 * Plans as data for the per-source tests: select a source from an environment, ask for its
 * plan, and walk it against a script with no effects.
 */
import * as E from 'fp-ts/lib/Either.js'
import { pipe } from 'fp-ts/lib/function.js'
import {
  type Environment,
  type HttpResponse,
  type IdentityOptions,
  identityFromOptions,
  type ManagedIdentityError,
  type Platform,
  planToken,
  type RequestSettings,
  type Script,
  type Source,
  selectSource,
  type TransportFailure,
  type Walk,
  walkPlan,
} from '../../src/index.js'
import { json } from '../fakes.js'

export const SCOPE = 'https://management.azure.com/.default'

/** The caller's identity options, named as the test tables name them. */
export const IDENTITIES: ReadonlyArray<readonly [string, IdentityOptions]> = [
  ['system', {}],
  ['clientId', { clientId: 'cid-1' }],
  ['objectId', { objectId: 'oid-1' }],
  [
    'resourceId',
    { resourceId: '/subscriptions/s/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/u' },
  ],
]

/** The source an environment selects for an identity, or why none. */
export const selected = (
  env: Environment,
  identity: IdentityOptions = {},
): E.Either<ManagedIdentityError, Source> =>
  pipe(
    identityFromOptions(identity),
    E.flatMap((chosen) => selectSource(env, chosen)),
  )

export interface WalkOptions extends RequestSettings {
  readonly identity?: IdentityOptions
  readonly scope?: string
  readonly platform?: Platform
}

/** Walk the plan the environment's source makes for the scope; a selection error is thrown (a test bug). */
export const walkFor = (env: Environment, script: Script, options: WalkOptions = {}): Walk<unknown> => {
  const { identity = {}, scope = SCOPE, ...settings } = options
  const plan = pipe(
    selected(env, identity),
    E.flatMap((source) => planToken(source, scope, settings)),
  )
  if (E.isLeft(plan)) throw new Error(`no plan: ${plan.left.message}`)
  return walkPlan(plan.right, script)
}

/** A reply for a script. */
export const reply = (response: HttpResponse): E.Either<TransportFailure, HttpResponse> => E.right(response)

/** A token reply for a script. */
export const tokenReply = (extra: Record<string, unknown> = {}) =>
  reply(json(200, { access_token: 'at', expires_in: 3600, ...extra }))

/** The requests a walk sent. */
export const sentRequests = (walk: Walk<unknown>) =>
  walk.steps.flatMap((step) => (step._tag === 'Send' ? [step.request] : []))

/** A request's headers without the `x-ms-client-request-id` the interpreter adds to every request. */
export const plannedHeaders = (
  request: { readonly headers: Readonly<Record<string, string>> } | undefined,
) => {
  const { 'x-ms-client-request-id': _id, ...planned } = request?.headers ?? {}
  return planned
}

/** A request URL's query as a record. */
export const query = (url: string | undefined) => Object.fromEntries(new URL(url ?? 'http://x').searchParams)

/** The query parameters a user-assigned identity adds, under the source's own names. */
export const identityQuery = (identity: IdentityOptions, names: Readonly<Record<string, string>>) =>
  Object.fromEntries(Object.entries(identity).map(([option, value]) => [names[option] ?? option, value]))
