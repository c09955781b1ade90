/**
 * The README's examples, run as they are written: each block marked `<!-- example: NAME -->`
 * is bundled by esbuild exactly as it stands (only `@azmi/fetch-io` is pointed at this
 * package's sources) and run in its runtime against the emulator — the Worker in workerd with
 * the emulator's variables as bindings, the Deno one with the permissions the README lists,
 * the Bun one with `bunReadFile` from the `bun` entry.
 */
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { claimsOf, emulatorPerFile, RESOURCE, tokenRequests } from '@azmi/test-support'
import { Miniflare } from 'miniflare'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { bundleReadmeExample, type Runtime } from './support/readmeExamples.js'
import { bunExecutable, denoExecutable, run, scratchDirectoryPerFile } from './support/runtimes.js'

const emulator = emulatorPerFile()
const scratchDirectory = scratchDirectoryPerFile()

/**
 * The README example `name` bundled for `runtime` into `file` in the scratch directory; its
 * path. The Worker is bundled as for Deno: for esbuild's neutral platform, nothing of Node.
 */
const bundleExample = async (name: string, file: string, runtime: Runtime): Promise<string> => {
  const path = join(scratchDirectory(), file)
  await writeFile(path, await bundleReadmeExample(name, runtime))
  return path
}

describe('the Cloudflare Worker example, in workerd', () => {
  const BLOB_PATH = '/blob/reports/today.txt'
  let miniflare: Miniflare | undefined

  beforeAll(async () => {
    const scriptPath = await bundleExample('worker', 'readme-worker.mjs', 'deno')
    const emu = emulator()
    const worker = (name: string, bindings: Record<string, string>) => ({
      name,
      modules: true,
      modulesRoot: scratchDirectory(),
      scriptPath,
      compatibilityDate: '2025-09-01',
      bindings: { ...bindings, BLOB_URL: `${emu.url}${BLOB_PATH}` },
      routes: [`${name}.test/*`],
    })
    miniflare = new Miniflare({
      workers: [
        worker('appservice', emu.env('AppService')),
        worker('servicefabric', emu.env('ServiceFabric')),
      ],
    })
    await miniflare.ready
  }, 120_000)
  afterAll(() => miniflare?.dispose())

  const get = async (worker: string) => {
    if (miniflare === undefined) throw new Error('workerd did not start')
    const response = await miniflare.dispatchFetch(`http://${worker}.test/`)
    return { status: response.status, body: await response.text() }
  }

  it('reads the blob with a storage token, and keeps the token for the next request', async () => {
    const emu = emulator()
    // The emulator has no blob service: its 404 comes back through the Worker.
    expect(await get('appservice')).toMatchObject({ status: 404 })
    expect(await get('appservice')).toMatchObject({ status: 404 })
    const blobReads = emu.requests.filter((request) => request.path === BLOB_PATH)
    expect(blobReads).toHaveLength(2)
    const [first, second] = blobReads.map((request) => request.headers.authorization ?? '')
    expect(first).toMatch(/^Bearer /)
    expect(second).toBe(first)
    expect(claimsOf(first?.slice('Bearer '.length) ?? '')).toMatchObject({ aud: RESOURCE })
    expect(blobReads[0]?.headers['x-ms-version']).toBe('2025-01-05')
    expect(tokenRequests(emu).map((request) => request.environment)).toEqual(['AppService'])
  }, 60_000)

  it("answers 503 with the error's code when the credential cannot work here", async () => {
    const emu = emulator()
    expect(await get('servicefabric')).toEqual({
      status: 503,
      body: JSON.stringify({ code: 'unsupported_runtime' }),
    })
    expect(emu.requests).toEqual([])
  }, 60_000)
})

describe('the Deno example', () => {
  it('gets a token with the permissions the README lists', async () => {
    const emu = emulator()
    const script = await bundleExample('deno', 'readme-deno.mjs', 'deno')
    const env = emu.env('AppService')
    const host = new URL(env.IDENTITY_ENDPOINT ?? '').host
    const args = ['run', '--no-prompt', '--no-config', '--allow-env', `--allow-net=${host}`, script]
    const { code, stdout, stderr } = await run(denoExecutable(), args, 60_000, env)
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' })
    expect(stdout).toMatch(/^a token of \d+ characters, until \d{4}-\d\d-\d\dT/)
    expect(tokenRequests(emu)).toMatchObject([
      { environment: 'AppService', headers: { 'user-agent': expect.stringMatching(/^Deno\//) } },
    ])
  }, 60_000)
})

describe('the Bun example', () => {
  it('gets a token', async () => {
    const emu = emulator()
    const script = await bundleExample('bun', 'readme-bun.mjs', 'bun')
    const { code, stdout, stderr } = await run(
      await bunExecutable(),
      ['run', script],
      60_000,
      emu.env('Imds'),
    )
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' })
    expect(stdout).toMatch(/^a token of \d+ characters, until \d{4}-\d\d-\d\dT/)
    expect(tokenRequests(emu)).toMatchObject([
      { environment: 'Imds', headers: { 'user-agent': expect.stringMatching(/^Bun\//) } },
    ])
  }, 60_000)
})
