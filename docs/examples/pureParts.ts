// Level (c): only the pure pieces — which environment this is and why, the request a plan
// would send (walked against a script, no I/O at all), and a reply turned into a token. Here
// your own code sends the one request the walk showed.
import {
  type AccessToken,
  type Environment,
  explainSelection,
  type HttpRequest,
  joinHeaders,
  parseTokenReply,
  planToken,
  selectSource,
  walkPlan,
} from '@azmi/core'

/** One line per source, in precedence order: chosen, or why not. Never shows a value. */
export const explain = (env: Environment): ReadonlyArray<string> =>
  explainSelection(env).map((verdict) => `${verdict.source}: ${verdict.outcome} (${verdict.reason})`)

/** The first request `env`'s source would send for `scope`: the plan walked against a script, not run. */
export const firstRequest = (env: Environment, scope: string): HttpRequest | undefined => {
  const source = selectSource(env)
  if (source._tag === 'Left') return undefined
  const plan = planToken(source.right, scope)
  if (plan._tag === 'Left') return undefined
  const walk = walkPlan(plan.right, { replies: [] })
  const step = walk.steps.find((walked) => walked._tag === 'Send')
  return step?._tag === 'Send' ? step.request : undefined
}

/** Send that request with your own client, and let the core read the reply. */
export const tokenFromReply = async (env: Environment, scope: string): Promise<AccessToken | string> => {
  const source = selectSource(env)
  const request = firstRequest(env, scope)
  if (source._tag === 'Left' || request === undefined) return 'no source'
  const sentAt = Date.now()
  const response = await fetch(request.url, {
    method: request.method,
    headers: request.headers,
    ...(request.body === undefined ? {} : { body: request.body }),
    redirect: 'manual',
  })
  const reply = {
    status: response.status,
    headers: joinHeaders(response.headers),
    body: await response.text(),
  }
  // parseTokenReply reads a success; statuses, retries and their errors are the plan's business
  if (reply.status !== 200) return `status ${reply.status}`
  const token = parseTokenReply(source.right._tag, reply, { sentAt, receivedAt: Date.now() })
  return token._tag === 'Right' ? token.right : token.left.code
}
