import { fileURLToPath } from 'node:url'
import { type KeyPair, keyPair, resourcesPerTest, runTypeScript } from '@azmi/test-support'
import { describe, expect, it } from 'vitest'

const CLIENT = fileURLToPath(new URL('./fixtures/keepAliveClient.ts', import.meta.url))
const CA = fileURLToPath(new URL('../../emulator/certs/ca.pem', import.meta.url))
/** Not a timing assertion: only how long to wait before declaring the child stuck. */
const STUCK_AFTER_MS = 20_000

const resources = resourcesPerTest()

/** A server that keeps connections open far longer than the child should live. */
const keepAliveServer = (tls?: KeyPair) =>
  resources.serve((_request, response) => response.end('{"ok":true}'), tls)

const runClient = (args: ReadonlyArray<string>) =>
  runTypeScript(CLIENT, args, { stuckAfterMs: STUCK_AFTER_MS })

describe('process lifecycle', () => {
  it('a process exits on its own after keep-alive requests, without calling close()', async () => {
    const http = await keepAliveServer()
    const https = await keepAliveServer(keyPair('server'))
    const result = await runClient([`${http.url}/token`, `${https.url}/token`, CA])
    expect(result).toMatchObject({ exit: 'exited', code: 0, stderr: '' })
    const { replies, holdingTheLoop } = JSON.parse(result.stdout) as {
      replies: unknown
      holdingTheLoop: string[]
    }
    expect(replies).toMatchObject([
      { _tag: 'Right', right: { status: 200, headers: { connection: 'keep-alive' } } },
      { _tag: 'Right', right: { status: 200, headers: { connection: 'keep-alive' } } },
    ])
    // the client asked to keep both connections: the exit did not come from closing them...
    expect(http.requests[0]?.headers.connection).toBe('keep-alive')
    expect(https.requests[0]?.headers.connection).toBe('keep-alive')
    // ...and once idle, neither pooled socket held the event loop (a ref'd one is listed here)
    expect(holdingTheLoop.filter((resource) => /TCP|TLS/.test(resource))).toEqual([])
  }, 30_000)
})
