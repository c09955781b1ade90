/**
 * One HTTP/1.1 exchange over a bare TCP socket, returning every byte the server sent before
 * closing. Fault tests use it where an HTTP client would hide what happened on the wire
 * (how much of a body arrived before a drop).
 */
import { connect } from 'node:net'

export interface RawReply {
  /** The header block as text ('' when the server sent nothing). */
  readonly head: string
  /** Body bytes received (still chunk-encoded if the server used chunked encoding). */
  readonly body: Buffer
}

/** Sends `GET path` with `headers` (and `Connection: close`) and collects the reply until the socket closes. */
export const rawGet = (
  port: number,
  path: string,
  headers: Readonly<Record<string, string>> = {},
): Promise<RawReply> =>
  new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1')
    const chunks: Buffer[] = []
    socket.on('data', (chunk: Buffer) => chunks.push(chunk))
    // A reset after a drop is expected; what arrived before it is the result.
    socket.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'ECONNRESET') reject(error)
    })
    socket.on('close', () => {
      const all = Buffer.concat(chunks)
      const split = all.indexOf('\r\n\r\n')
      resolve(
        split === -1
          ? { head: all.toString('latin1'), body: Buffer.alloc(0) }
          : { head: all.subarray(0, split).toString('latin1'), body: all.subarray(split + 4) },
      )
    })
    const lines = Object.entries({ Host: `127.0.0.1:${port}`, ...headers, Connection: 'close' }).map(
      ([name, value]) => `${name}: ${value}`,
    )
    socket.write(`GET ${path} HTTP/1.1\r\n${lines.join('\r\n')}\r\n\r\n`)
  })

/** The value of header `name` in a raw header block. */
export const headerValue = (head: string, name: string): string | undefined =>
  head
    .split('\r\n')
    .map((line) => /^([^:]+):\s*(.*)$/.exec(line))
    .find((match) => match?.[1]?.toLowerCase() === name.toLowerCase())?.[2]
