/**
 * A minimal test client over `node:http`/`node:https`: no retries, no redirects, a whole
 * reply as data. Tests use it to talk to the emulator over real sockets.
 */
import type { Agent as HttpAgent, IncomingHttpHeaders, IncomingMessage } from 'node:http'
import { request as httpRequest } from 'node:http'
import { request as httpsRequest } from 'node:https'
import type { TLSSocket } from 'node:tls'

export interface TestRequest {
  readonly url: string
  readonly method?: string
  readonly headers?: Readonly<Record<string, string>>
  readonly body?: string
  /** Trust this CA (HTTPS); without it and without `insecure`, Node's default trust store applies. */
  readonly ca?: string
  /** Skip certificate validation (Service Fabric tests check the fingerprint themselves). */
  readonly insecure?: boolean
  /** The TLS server name to send (SNI) and to check the certificate against, instead of the URL's host. */
  readonly servername?: string
  readonly agent?: HttpAgent | false
  /** Give up (reject with code 'TEST_TIMEOUT') if no full reply arrives in this many ms. */
  readonly timeoutMs?: number
}

export interface TestReply {
  readonly status: number
  readonly headers: IncomingHttpHeaders
  readonly body: string
  /** Upper-case hex SHA-1 of the server's certificate, for HTTPS. */
  readonly peerThumbprint: string | undefined
}

const thumbprintOf = (reply: IncomingMessage): string | undefined => {
  const socket = reply.socket as TLSSocket
  if (typeof socket.getPeerCertificate !== 'function') return undefined
  return socket.getPeerCertificate().fingerprint?.replaceAll(':', '').toUpperCase()
}

/** Sends one request and resolves with the whole reply, or rejects with the socket error. */
export const send = (request: TestRequest): Promise<TestReply> =>
  new Promise((resolve, reject) => {
    const url = new URL(request.url)
    const tls = url.protocol === 'https:'
    const options = {
      method: request.method ?? 'GET',
      headers: request.headers ?? {},
      agent: request.agent ?? false,
      ...(tls
        ? {
            rejectUnauthorized: request.insecure !== true,
            ...(request.ca ? { ca: request.ca } : {}),
            ...(request.servername ? { servername: request.servername } : {}),
          }
        : {}),
    }
    const outgoing = (tls ? httpsRequest : httpRequest)(url, options, (reply) => {
      const chunks: Buffer[] = []
      const peerThumbprint = thumbprintOf(reply)
      reply.on('data', (chunk: Buffer) => chunks.push(chunk))
      reply.on('error', reject)
      reply.on('end', () =>
        resolve({
          status: reply.statusCode ?? 0,
          headers: reply.headers,
          body: Buffer.concat(chunks).toString('utf8'),
          peerThumbprint,
        }),
      )
    })
    if (request.timeoutMs !== undefined)
      outgoing.setTimeout(request.timeoutMs, () =>
        outgoing.destroy(Object.assign(new Error('test client timed out'), { code: 'TEST_TIMEOUT' })),
      )
    outgoing.on('error', reject)
    outgoing.end(request.body)
  })

/** The JSON body of a reply. */
export const jsonBody = (reply: TestReply): Record<string, unknown> =>
  JSON.parse(reply.body) as Record<string, unknown>
