/**
 * The runtimes fetch-io targets besides Node, installed from npm: workerd (through
 * miniflare), Deno and Bun. Each must reach a server on 127.0.0.1 with a plain fetch, and run
 * fetch-io's own transport, bundled as a user would bundle it.
 *
 * workerd on its own lets a Worker reach only public addresses; miniflare configures the
 * Worker's outbound network as `allow: ["public", "private", "240.0.0.0/4"]`, and workerd's
 * `private` includes loopback, so no `outboundService` is needed to reach 127.0.0.1.
 */
import { join } from 'node:path'
import { Miniflare } from 'miniflare'
import { beforeAll, describe, expect, it } from 'vitest'
import type { LocalServer } from './support/localServer.js'
import { serversClosedAfterEach } from './support/localServer.js'
import {
  bundleFetchIo,
  bunExecutable,
  denoExecutable,
  run,
  scratchDirectoryPerFile,
  writeScript,
} from './support/runtimes.js'

const serve = serversClosedAfterEach()

/** `/ok` answers, `/redirect` points at `/target` (which must never be reached), `/hang` never answers. */
const startTokenServer = (): Promise<LocalServer> =>
  serve((request, response) => {
    if (request.url === '/ok') {
      response.writeHead(200, { 'Content-Type': 'application/json', 'X-Runtime-Check': 'yes' })
      response.end(JSON.stringify({ metadata: request.headers.metadata ?? null }))
    } else if (request.url === '/redirect') {
      response.writeHead(302, { Location: '/target' })
      response.end()
    } else if (request.url !== '/hang') {
      response.end(`plain reply to ${request.url}`)
    }
  })

/** A script body that sends three requests through fetch-io and yields their outcomes. */
const transportProbe = (origin: string): string => `
  const { send } = createFetchTransport()
  const request = (path, timeoutMs) => ({ method: 'GET', url: ${JSON.stringify(origin)} + path, headers: { Metadata: 'true' }, timeoutMs })
  const outcomes = {
    ok: await send(request('/ok', 10000), undefined),
    redirect: await send(request('/redirect', 10000), undefined),
    hang: await send(request('/hang', 200), undefined),
  }`

/** What every runtime must report for {@link transportProbe}. */
const expectTransportOutcomes = (outcomes: unknown, server: LocalServer): void => {
  expect(outcomes).toMatchObject({
    ok: {
      _tag: 'Right',
      right: { status: 200, headers: { 'x-runtime-check': 'yes' }, body: '{"metadata":"true"}' },
    },
    redirect: { _tag: 'Right', right: { status: 302, headers: { location: '/target' } } },
    hang: { _tag: 'Left', left: { _tag: 'TransportFailure', kind: 'timeout' } },
  })
  expect(server.received.map((request) => request.url)).not.toContain('/target')
}

const scratchDirectory = scratchDirectoryPerFile()
let scratch = ''
beforeAll(async () => {
  scratch = scratchDirectory()
  await bundleFetchIo('src/index.ts', join(scratch, 'fetch-io.mjs'))
})

describe('workerd, through miniflare', () => {
  const inWorker = async <T>(script: string): Promise<T> => {
    const scriptPath = await writeScript(scratch, `worker-${Math.random().toString(36).slice(2)}.mjs`, script)
    // modulesRoot: module names are paths relative to it, and may not climb out of it
    const miniflare = new Miniflare({
      modules: true,
      modulesRoot: scratch,
      scriptPath,
      compatibilityDate: '2025-09-01',
    })
    try {
      const response = await miniflare.dispatchFetch('http://worker.test/')
      return (await response.json()) as T
    } finally {
      await miniflare.dispose()
    }
  }

  it('lets a Worker fetch from 127.0.0.1', async () => {
    const server = await startTokenServer()
    const reply = await inWorker<{ status: number; body: string }>(`
      export default {
        async fetch() {
          const reply = await fetch(${JSON.stringify(`${server.origin}/from-workerd`)})
          return Response.json({ status: reply.status, body: await reply.text() })
        },
      }`)
    expect(reply).toEqual({ status: 200, body: 'plain reply to /from-workerd' })
  }, 60_000)

  it("runs fetch-io's transport in a Worker", async () => {
    const server = await startTokenServer()
    const outcomes = await inWorker(`
      import { createFetchTransport } from './fetch-io.mjs'
      export default {
        async fetch() {
          ${transportProbe(server.origin)}
          return Response.json(outcomes)
        },
      }`)
    expectTransportOutcomes(outcomes, server)
  }, 60_000)
})

describe('Deno', () => {
  const inDeno = async (name: string, script: string, origin: string) => {
    const path = await writeScript(scratch, name, script)
    const allowNet = `--allow-net=${new URL(origin).host}`
    return run(denoExecutable(), ['run', '--no-prompt', '--no-config', allowNet, path])
  }

  it('is the npm-installed Deno 2', async () => {
    const { stdout } = await run(denoExecutable(), ['--version'])
    expect(stdout).toMatch(/^deno 2\./)
  })

  it('fetches from 127.0.0.1', async () => {
    const server = await startTokenServer()
    const script = `const reply = await fetch(${JSON.stringify(`${server.origin}/from-deno`)})
      console.log(JSON.stringify({ status: reply.status, body: await reply.text() }))`
    const { code, stdout, stderr } = await inDeno('fetch-deno.mjs', script, server.origin)
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' })
    expect(JSON.parse(stdout)).toEqual({ status: 200, body: 'plain reply to /from-deno' })
  }, 60_000)

  it("runs fetch-io's transport", async () => {
    const server = await startTokenServer()
    const script = `import { createFetchTransport } from './fetch-io.mjs'
      ${transportProbe(server.origin)}
      console.log(JSON.stringify(outcomes))`
    const { code, stdout, stderr } = await inDeno('transport-deno.mjs', script, server.origin)
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' })
    expectTransportOutcomes(JSON.parse(stdout), server)
  }, 60_000)
})

describe('Bun', () => {
  const inBun = async (name: string, script: string) =>
    run(await bunExecutable(), ['run', await writeScript(scratch, name, script)])

  it('is the npm-installed Bun', async () => {
    const { stdout } = await run(await bunExecutable(), ['--version'])
    expect(stdout.trim()).toMatch(/^1\.\d+\.\d+$/)
  })

  it('fetches from 127.0.0.1', async () => {
    const server = await startTokenServer()
    const script = `const reply = await fetch(${JSON.stringify(`${server.origin}/from-bun`)})
      console.log(JSON.stringify({ status: reply.status, body: await reply.text() }))`
    const { code, stdout, stderr } = await inBun('fetch-bun.mjs', script)
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' })
    expect(JSON.parse(stdout)).toEqual({ status: 200, body: 'plain reply to /from-bun' })
  }, 60_000)

  it("runs fetch-io's transport", async () => {
    const server = await startTokenServer()
    const script = `import { createFetchTransport } from './fetch-io.mjs'
      ${transportProbe(server.origin)}
      console.log(JSON.stringify(outcomes))`
    const { code, stdout, stderr } = await inBun('transport-bun.mjs', script)
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' })
    expectTransportOutcomes(JSON.parse(stdout), server)
  }, 60_000)
})
