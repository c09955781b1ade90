// Level (a): the credential over your own `send`. Here `send` is written over `fetch`; yours
// may sit on any HTTP client, as long as it keeps the contract: one attempt, `timeoutMs` to
// the last byte, the caller's abort, no redirects, a 1 MiB cap, TLS it cannot honour refused,
// and a promise that never rejects.
import {
  type AccessToken,
  type Capabilities,
  createManagedIdentityClient,
  type Environment,
  type HttpResponse,
  interruptedFailure,
  joinHeaders,
  MAX_RESPONSE_BYTES,
  ManagedIdentityCredentialBase,
  type TransportFailure,
  tooLargeFailure,
  transportFailure,
} from '@azmi/core'

type Outcome = Awaited<ReturnType<Capabilities['send']>>
const failed = (failure: TransportFailure): Outcome => ({ _tag: 'Left', left: failure })
const replied = (response: HttpResponse): Outcome => ({ _tag: 'Right', right: response })

/** The body as text, or `undefined` once it passes the cap (the rest is never read). */
const readCapped = async (response: Response): Promise<string | undefined> => {
  const reader = response.body?.getReader()
  if (reader === undefined) return ''
  const decoder = new TextDecoder()
  let text = ''
  let bytes = 0
  for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
    bytes += chunk.value.byteLength
    if (bytes > MAX_RESPONSE_BYTES) {
      await reader.cancel()
      return undefined
    }
    text += decoder.decode(chunk.value, { stream: true })
  }
  return text + decoder.decode()
}

/** One attempt over fetch. */
export const fetchSend: Capabilities['send'] = async (request, signal) => {
  if (request.tls !== undefined) {
    // fetch can neither pin a certificate nor take a CA or server name per request
    const kind = request.tls.sha1Thumbprint === undefined ? 'custom-tls-unsupported' : 'pinning-unsupported'
    return failed(transportFailure(kind, 'fetch cannot apply this TLS requirement; nothing was sent'))
  }
  if (signal?.aborted === true) return failed(transportFailure('aborted', 'aborted before sending'))
  const controller = new AbortController()
  // the reason says which of the two ended the attempt
  const onAbort = () => controller.abort('aborted')
  signal?.addEventListener('abort', onAbort, { once: true })
  const timer = setTimeout(() => controller.abort('timeout'), request.timeoutMs)
  let answered = false
  try {
    const response = await fetch(request.url, {
      method: request.method,
      headers: request.headers,
      ...(request.body === undefined ? {} : { body: request.body }),
      redirect: 'manual',
      signal: controller.signal,
    })
    answered = true
    const body = await readCapped(response)
    if (body === undefined) return failed(tooLargeFailure(MAX_RESPONSE_BYTES))
    return replied({ status: response.status, headers: joinHeaders(response.headers), body })
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error)
    const interruption = controller.signal.reason
    if (interruption === 'aborted' || interruption === 'timeout') {
      return failed(interruptedFailure(interruption, request.timeoutMs))
    }
    return failed(transportFailure(answered ? 'reset' : 'connect', why))
  } finally {
    clearTimeout(timer)
    signal?.removeEventListener('abort', onAbort)
  }
}

/** Wait `ms`, or less when `signal` aborts; never rejects. */
const sleep: Capabilities['sleep'] = (ms, signal) =>
  new Promise((resolve) => {
    const timer = setTimeout(resolve, ms)
    signal?.addEventListener('abort', () => resolve(clearTimeout(timer)), { once: true })
  })

/** Everything the core needs: your `send`, a real clock, and where the process runs. */
export const capabilities: Capabilities = {
  send: fetchSend,
  now: () => Date.now(),
  sleep,
  random: () => Math.random(),
  platform: { os: process.platform === 'win32' ? 'win32' : process.platform === 'linux' ? 'linux' : 'other' },
  uuid: () => crypto.randomUUID(),
}

/** The credential as functions over `Either`: no exceptions, a `code` to switch on. */
export const storageToken = async (env: Environment): Promise<AccessToken> => {
  const client = createManagedIdentityClient({ env }, capabilities)
  const result = await client.getToken('https://storage.azure.com/.default')
  if (result._tag === 'Left') throw new Error(`no token (${result.left.code}): ${result.left.message}`)
  return result.right
}

/** The same credential as a class: an `@azure/core-auth` `TokenCredential` for any Azure SDK client. */
export class FetchManagedIdentityCredential extends ManagedIdentityCredentialBase {
  constructor(env: Environment) {
    super({ env }, capabilities)
  }
}
