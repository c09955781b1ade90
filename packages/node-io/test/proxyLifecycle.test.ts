import { rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { resourcesPerTest, runTypeScript } from '@azmi/test-support'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startProxiedEndpoints, startProxy } from './support/proxiedEndpoints.js'
import type { ThrowawayPki } from './support/throwawayPki.js'
import { createThrowawayPki } from './support/throwawayPki.js'

const CLIENT = fileURLToPath(new URL('./fixtures/proxiedClient.ts', import.meta.url))
/** Not a timing assertion: only how long to wait before declaring the child stuck. */
const STUCK_AFTER_MS = 20_000

let pki: ThrowawayPki
let caPath: string
beforeAll(() => {
  pki = createThrowawayPki('azmi proxy lifecycle test CA')
  caPath = join(tmpdir(), `azmi-proxy-lifecycle-${process.pid}.pem`)
  writeFileSync(caPath, pki.caPem)
})
afterAll(() => {
  pki.remove()
  rmSync(caPath, { force: true })
})

const resources = resourcesPerTest()

describe('process lifecycle behind a proxy', () => {
  it('a process exits on its own after forwarded and tunnelled requests, without calling close()', async () => {
    const endpoints = await startProxiedEndpoints(pki, resources)
    const proxy = await startProxy(resources)
    const args = [proxy.url, endpoints.httpUrl, endpoints.httpsUrl, caPath]
    const result = await runTypeScript(CLIENT, args, { stuckAfterMs: STUCK_AFTER_MS })
    expect(result).toMatchObject({ exit: 'exited', code: 0, stderr: '' })
    const { replies, holdingTheLoop } = JSON.parse(result.stdout) as {
      replies: unknown
      holdingTheLoop: string[]
    }
    expect(replies).toMatchObject([{ right: { status: 200 } }, { right: { status: 200 } }])
    expect(proxy.requests.map((request) => request.method)).toEqual(['GET', 'CONNECT'])
    expect(holdingTheLoop.filter((resource) => /TCP|TLS/.test(resource))).toEqual([])
  }, 30_000)
})
