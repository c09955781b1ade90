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
import { resourcesPerTest, type TestServer } from '@azmi/test-support'
import { Miniflare } from 'miniflare'
import { beforeAll, describe, expect, it } from 'vitest'
import * as runtimes from './support/runtimes.js'

const { bundleFetchIo, bunExecutable, denoExecutable, run, scratchDirectoryPerFile, writeScript } = runtimes

const { serve } = resourcesPerTest()

/** `/ok` answers, `/redirect` points at `/target` (which must never be reached), `/hang` never answers. */
const startTokenServer = (): Promise<TestServer> =>
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
const expectTransportOutcomes = (outcomes: unknown, server: TestServer): void => {
  expect(outcomes).toMatchObject({
    ok: {
      _tag: 'Right',
      right: { status: 200, headers: { 'x-runtime-check': 'yes' }, body: '{"metadata":"true"}' },
    },
    redirect: { _tag: 'Right', right: { status: 302, headers: { location: '/target' } } },
    hang: { _tag: 'Left', left: { _tag: 'TransportFailure', kind: 'timeout' } },
  })
  expect(server.requests.map((request) => request.url)).not.toContain('/target')
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
          const reply = await fetch(${JSON.stringify(`${server.url}/from-workerd`)})
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
          ${transportProbe(server.url)}
          return Response.json(outcomes)
        },
      }`)
    expectTransportOutcomes(outcomes, server)
  }, 60_000)
})

/** The runtimes that run a script file: how each says its version and is given a script. */
const scriptRuntimes = [
  {
    name: 'Deno',
    version: /^deno 2\./,
    executable: async () => denoExecutable(),
    args: (path: string, origin: string) => [
      'run',
      '--no-prompt',
      '--no-config',
      `--allow-net=${new URL(origin).host}`,
      path,
    ],
  },
  { name: 'Bun', version: /^1\.\d+\.\d+$/, executable: bunExecutable, args: (path: string) => ['run', path] },
] as const

describe.each(scriptRuntimes)('$name', (runtime) => {
  const label = runtime.name.toLowerCase()
  const inRuntime = async (name: string, script: string, origin: string) => {
    const path = await writeScript(scratch, `${name}-${label}.mjs`, script)
    return run(await runtime.executable(), runtime.args(path, origin))
  }

  it(`is the npm-installed ${runtime.name}`, async () => {
    const { stdout } = await run(await runtime.executable(), ['--version'])
    expect(stdout.trim()).toMatch(runtime.version)
  })

  it('fetches from 127.0.0.1', async () => {
    const server = await startTokenServer()
    const script = `const reply = await fetch(${JSON.stringify(`${server.url}/from-${label}`)})
      console.log(JSON.stringify({ status: reply.status, body: await reply.text() }))`
    const { code, stdout, stderr } = await inRuntime('fetch', script, server.url)
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' })
    expect(JSON.parse(stdout)).toEqual({ status: 200, body: `plain reply to /from-${label}` })
  }, 60_000)

  it("runs fetch-io's transport", async () => {
    const server = await startTokenServer()
    const script = `import { createFetchTransport } from './fetch-io.mjs'
      ${transportProbe(server.url)}
      console.log(JSON.stringify(outcomes))`
    const { code, stdout, stderr } = await inRuntime('transport', script, server.url)
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' })
    expectTransportOutcomes(JSON.parse(stdout), server)
  }, 60_000)
})
