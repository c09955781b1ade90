/**
 * The core's `send` capability over an `@azure/core-rest-pipeline` `HttpClient`: a library
 * already on the Azure pipeline hands azmi the client it uses (its transport, its agents and
 * keep-alive), and its proxy settings.
 *
 * One call is one attempt, and the rules every azmi transport follows hold here too
 * (docs/embedding.md): `timeoutMs` covers the send through the last body byte; the caller's
 * signal ends the attempt; a redirect is returned as the 3xx it is, never followed (an
 * `HttpClient` follows none: redirects are the pipeline's `redirectPolicy`, which never runs
 * here); the body is capped at 1 MiB; pinning and a request's own CA or server name are
 * refused before sending; failures are mapped to the core's kinds by error code; and the
 * returned promise never rejects.
 *
 * @since 0.1.0
 */
import {
  announcesMoreThan,
  type Capabilities,
  type HttpRequest,
  type HttpResponse,
  interruptedFailure,
  joinHeaders,
  MAX_RESPONSE_BYTES,
  type TransportFailure,
  tooLargeFailure,
  transportFailure,
} from '@azmi/core'
import { type AttemptDeadline, type Interruption, raceDeadline, startAttemptDeadline } from '@azmi/fetch-io'
import {
  createHttpHeaders,
  createPipelineRequest,
  type HttpClient,
  type PipelineResponse,
  type ProxySettings,
} from '@azure/core-rest-pipeline'
import type { Either } from 'fp-ts/lib/Either.js'
import { isLeft, left, right } from 'fp-ts/lib/Either.js'
import { discardBody, readCappedBody } from './cappedBody.js'
import { failureBeforeReply, failureReadingBody, proxyRefusal } from './classifyFailure.js'
import { createRouter, type Router } from './proxyRoute.js'
import { tlsRefusal } from './tlsRefusal.js'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/** Options of {@link pipelineSend}; every one has a default. */
export interface PipelineSendOptions {
  /** Refuse reply bodies larger than this many bytes. Default: the core's `MAX_RESPONSE_BYTES`, 1 MiB. */
  readonly maxResponseBytes?: number | undefined
  /**
   * Send requests to non-local hosts (Microsoft Entra ID for workload identity) through this
   * proxy, with the SDK's own `proxyPolicy`: pass the `proxyOptions` your pipeline has.
   * Loopback and link-local hosts (IMDS, App Service, Arc, Azure ML) are never proxied.
   * Default: no proxy (the client's own agent decides).
   */
  readonly proxySettings?: ProxySettings | undefined
  /** Host names that bypass `proxySettings` (a leading `.` matches subdomains too). Default: none. */
  readonly noProxy?: ReadonlyArray<string> | undefined
}

type Outcome = Either<TransportFailure, HttpResponse>

/** Every status is streamed, so the body is read under the cap rather than buffered whole. */
const EVERY_STATUS = new Set([Number.POSITIVE_INFINITY])

// -------------------------------------------------------------------------------------
// an attempt
// -------------------------------------------------------------------------------------

/** The pipeline request for `request`: its headers, body and timeout, our signal, every status streamed. */
const toPipelineRequest = (request: HttpRequest, deadline: AttemptDeadline) =>
  createPipelineRequest({
    url: request.url,
    method: request.method,
    headers: createHttpHeaders({ ...request.headers }),
    ...(request.body === undefined ? {} : { body: request.body }),
    timeout: request.timeoutMs,
    abortSignal: deadline.signal,
    // IMDS, App Service, Arc and Azure ML are plain-HTTP endpoints on the host itself.
    allowInsecureConnection: request.url.startsWith('http:'),
    streamResponseStatusCodes: EVERY_STATUS,
    ...(request.headers['x-ms-client-request-id'] === undefined
      ? {}
      : { requestId: request.headers['x-ms-client-request-id'] }),
  })

const readReply = async (
  response: PipelineResponse,
  request: HttpRequest,
  maxBytes: number,
  deadline: AttemptDeadline,
): Promise<Outcome> => {
  if (announcesMoreThan(response.headers.get('content-length'), maxBytes)) {
    discardBody(response)
    return left(tooLargeFailure(maxBytes))
  }
  try {
    const body = await readCappedBody(response, maxBytes, deadline)
    if (isLeft(body)) {
      discardBody(response)
      return left(
        body.left === 'too-large'
          ? tooLargeFailure(maxBytes)
          : interruptedFailure(body.left, request.timeoutMs),
      )
    }
    return right({ status: response.status, headers: joinHeaders(response.headers), body: body.right })
  } catch (error) {
    return left(failureReadingBody(error, deadline.interruption(), request.timeoutMs))
  }
}

const attempt = async (router: Router, request: HttpRequest, maxBytes: number, deadline: AttemptDeadline) => {
  const proxied = router.proxied(request.url)
  let response: Either<Interruption, PipelineResponse>
  try {
    response = await raceDeadline(router.send(toPipelineRequest(request, deadline)), deadline, discardBody)
  } catch (error) {
    return left(failureBeforeReply(error, deadline.interruption(), request.timeoutMs, { proxied }))
  }
  if (isLeft(response)) return left(interruptedFailure(response.left, request.timeoutMs))
  if (proxied && response.right.status === 407) {
    discardBody(response.right)
    return left(proxyRefusal(407))
  }
  return readReply(response.right, request, maxBytes, deadline)
}

// -------------------------------------------------------------------------------------
// constructor
// -------------------------------------------------------------------------------------

/**
 * The core's `send` capability over `httpClient` (for example `createDefaultHttpClient()`,
 * or the client your pipeline already uses). Never rejects; never follows a redirect.
 *
 * @example
 * ```ts
 * import { createManagedIdentityClient } from '@azmi/core'
 * import { pipelineSend } from '@azmi/azure-pipeline'
 * import { createDefaultHttpClient } from '@azure/core-rest-pipeline'
 *
 * const send = pipelineSend(createDefaultHttpClient())
 * const client = createManagedIdentityClient(
 *   { env: { ...process.env } },
 *   { send, now: Date.now, sleep: (ms) => new Promise((r) => setTimeout(r, ms)), random: Math.random, platform: { os: 'linux' } },
 * )
 * ```
 */
export const pipelineSend = (
  httpClient: HttpClient,
  options: PipelineSendOptions = {},
): Capabilities['send'] => {
  const maxBytes = options.maxResponseBytes ?? MAX_RESPONSE_BYTES
  const router = createRouter(httpClient, options)
  return async (request, signal, hints) => {
    const refusal = tlsRefusal(request)
    if (refusal !== undefined) return left(refusal)
    if (signal?.aborted === true) return left(interruptedFailure('aborted', request.timeoutMs))
    const deadline = startAttemptDeadline(request.timeoutMs, signal, hints?.background === true)
    try {
      return await attempt(router, request, maxBytes, deadline)
    } catch (error) {
      // Only a bug gets here (a client that throws synchronously is caught above); never reject.
      return left(transportFailure('other', error instanceof Error ? error.message : String(error)))
    } finally {
      deadline.dispose()
    }
  }
}
