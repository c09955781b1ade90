/**
 * Turns an incoming Node request into a {@link RecordedRequest}: plain data that the
 * environments answer and tests inspect.
 *
 * @module
 */
import type { IncomingMessage } from 'node:http'
import type { TLSSocket } from 'node:tls'
import type { RecordedRequest } from './model.js'

/** A request as read off the socket, before the dispatcher says whose it is. */
export type ReceivedRequest = Omit<RecordedRequest, 'environment' | 'via'>

/** The path and query of a request target, which may be origin-form or absolute-form. */
export const splitTarget = (target: string): { path: string; query: Record<string, string> } => {
  const url = new URL(target, 'http://127.0.0.1')
  // The path as sent (not normalised by URL), so that tests see exactly what the client wrote.
  const rawPath = target.startsWith('/') ? (target.split('?')[0] ?? '/') : url.pathname
  return { path: rawPath, query: Object.fromEntries(url.searchParams) }
}

/** Header names lower-cased, values exactly as received; a repeated header's values joined. */
const rawHeaders = (request: IncomingMessage): Record<string, string> => {
  const headers: Record<string, string> = {}
  const raw = request.rawHeaders
  for (let index = 0; index + 1 < raw.length; index += 2) {
    const name = (raw[index] ?? '').toLowerCase()
    const value = raw[index + 1] ?? ''
    const earlier = headers[name]
    headers[name] = earlier === undefined ? value : `${earlier}, ${value}`
  }
  return headers
}

const readBody = async (request: IncomingMessage): Promise<string> => {
  const chunks: Buffer[] = []
  for await (const chunk of request) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks).toString('utf8')
}

/** The SNI name a TLS client sent (`servername` is `false` or absent without one). */
const servernameOf = (request: IncomingMessage): { servername?: string } => {
  const servername = (request.socket as Partial<TLSSocket>).servername
  return typeof servername === 'string' && servername !== '' ? { servername } : {}
}

/** Reads the whole request; rejects if the client goes away before the body ends. */
export const receiveRequest = async (request: IncomingMessage): Promise<ReceivedRequest> => {
  const at = Date.now()
  const { path, query } = splitTarget(request.url ?? '/')
  return {
    method: request.method ?? 'GET',
    path,
    query,
    headers: rawHeaders(request),
    body: await readBody(request),
    at,
    ...servernameOf(request),
  }
}
