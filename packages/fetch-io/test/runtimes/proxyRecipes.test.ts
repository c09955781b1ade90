/**
 * The README's proxy recipes (docs/protocol.md §1.6), each run as written in its own runtime
 * — Node (a child process, so that it reads `process.env` as an application does), Deno and
 * Bun from npm — with the test proxy's URL in place of `proxy.example:3128`, against the
 * emulator behind the real test CONNECT proxy. Workload identity reaches `login.test` and App
 * Service `appservice.test`, names only the proxy resolves; IMDS (loopback here, link-local in
 * Azure: the same rule) must never appear in the proxy's record.
 *
 * Then what the README says of `HTTPS_PROXY` on Deno and Bun: their fetch follows the
 * variables itself, loopback included, so `NO_PROXY` must name IMDS's address.
 */
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { ConnectProxy } from '@azmi/test-support'
import { emulatorPerFile, tokenRequests } from '@azmi/test-support'
import { beforeAll, describe, expect, it } from 'vitest'
import type { ProxiedSource } from '../support/proxiedEmulator.js'
import { expectedProxyRequests, proxiedEnv, proxiesClosedAfterEach } from '../support/proxiedEmulator.js'
import type { Runtime } from '../support/readmeExamples.js'
import { bundleReadmeExample } from '../support/readmeExamples.js'
import type { Finished } from '../support/runtimes.js'
import {
  bunExecutable,
  denoExecutable,
  run,
  scratchDirectoryPerFile,
  writeScript,
} from '../support/runtimes.js'

const emulator = emulatorPerFile()
const startProxy = proxiesClosedAfterEach()
const scratchDirectory = scratchDirectoryPerFile()

const EXAMPLES = {
  'proxy-node': 'node',
  'proxy-node-env': 'node',
  'proxy-deno': 'deno',
  'proxy-bun': 'bun',
  deno: 'deno',
  bun: 'bun',
} as const satisfies Record<string, Runtime>
type Example = keyof typeof EXAMPLES

const bundles = new Map<Example, string>()
let caFile = ''
beforeAll(async () => {
  for (const [name, runtime] of Object.entries(EXAMPLES)) {
    bundles.set(name as Example, await bundleReadmeExample(name, runtime))
  }
  caFile = join(scratchDirectory(), 'ca.pem')
  await writeFile(caFile, emulator().caCertificatePem)
}, 60_000)

/** No proxy variable of the machine running the tests leaks in: each run sets all of them. */
const NO_PROXY_VARIABLES = {
  HTTPS_PROXY: '',
  https_proxy: '',
  HTTP_PROXY: '',
  http_proxy: '',
  NO_PROXY: '',
  no_proxy: '',
}

/** The proxy variables as a platform sets them, every spelling. */
const proxyVariables = (proxy: ConnectProxy, noProxy = ''): Record<string, string> => ({
  HTTPS_PROXY: proxy.url,
  https_proxy: proxy.url,
  HTTP_PROXY: proxy.url,
  http_proxy: proxy.url,
  NO_PROXY: noProxy,
  no_proxy: noProxy,
})

let runs = 0

/**
 * Run the example in its runtime with `env`, the test CA trusted as the README says (Node and
 * Bun: `NODE_EXTRA_CA_CERTS`; Deno: `--cert`), and Deno's permissions narrowed to the
 * endpoints, the token file and, given `allowProxy`, the proxy.
 */
const runExample = async (
  example: Example,
  proxy: ConnectProxy,
  env: Record<string, string>,
  allowProxy = true,
): Promise<Finished> => {
  const code = (bundles.get(example) ?? '').replaceAll('http://proxy.example:3128', proxy.url)
  runs += 1
  const script = await writeScript(scratchDirectory(), `${example}-${runs}.mjs`, code)
  const fullEnv = { ...NO_PROXY_VARIABLES, ...env, NODE_EXTRA_CA_CERTS: caFile }
  switch (EXAMPLES[example]) {
    case 'node':
      return run(process.execPath, [script], 60_000, fullEnv)
    case 'bun':
      return run(await bunExecutable(), ['run', script], 60_000, fullEnv)
    case 'deno':
      return run(
        denoExecutable(),
        [...denoPermissions(allowProxy ? proxy : undefined), script],
        60_000,
        fullEnv,
      )
  }
}

const denoPermissions = (proxy: ConnectProxy | undefined): string[] => {
  const emu = emulator()
  const hosts = [
    `login.test:${new URL(emu.tlsUrl).port}`,
    `appservice.test:${new URL(emu.url).port}`,
    new URL(emu.url).host,
    ...(proxy === undefined ? [] : [`127.0.0.1:${proxy.port}`]),
  ]
  const tokenFile = emu.env('WorkloadIdentity').AZURE_FEDERATED_TOKEN_FILE
  return ['run', '--no-prompt', '--no-config', `--cert=${caFile}`, '--allow-env'].concat([
    `--allow-read=${tokenFile}`,
    `--allow-net=${hosts.join(',')}`,
  ])
}

/** How each runtime's fetch names itself to the endpoint. */
const USER_AGENTS: Record<Runtime, RegExp> = { node: /^node$/, deno: /^Deno\/2\./, bun: /^Bun\/1\./ }

/** The example printed a token, and the endpoint got exactly one request, from `runtime`. */
const expectToken = (finished: Finished, source: ProxiedSource, runtime: Runtime): void => {
  expect({ code: finished.code, stdout: finished.stdout }).toEqual({
    code: 0,
    stdout: expect.stringMatching(/^a token of \d+ characters, until \d{4}-\d\d-\d\dT/),
  })
  expect(tokenRequests(emulator())).toMatchObject([
    { environment: source, headers: { 'user-agent': expect.stringMatching(USER_AGENTS[runtime]) } },
  ])
}

const SOURCES = ['WorkloadIdentity', 'AppService', 'Imds'] as const

describe.each(['proxy-node', 'proxy-deno', 'proxy-bun'] as const)('the README example %s', (example) => {
  it.each(SOURCES)(
    '%s: a token, and the proxy saw exactly what it should',
    async (source) => {
      const proxy = await startProxy()
      const finished = await runExample(example, proxy, proxiedEnv(emulator(), source))
      expectToken(finished, source, EXAMPLES[example])
      expect(proxy.requests).toEqual(expectedProxyRequests(emulator(), source, 'forward'))
    },
    60_000,
  )
})

describe('the README example proxy-node-env, with HTTPS_PROXY and HTTP_PROXY set and no NO_PROXY', () => {
  it.each(SOURCES)(
    '%s: a token; IMDS stays direct all the same',
    async (source) => {
      const proxy = await startProxy()
      const env = { ...proxiedEnv(emulator(), source), ...proxyVariables(proxy) }
      const finished = await runExample('proxy-node-env', proxy, env)
      expectToken(finished, source, 'node')
      expect(proxy.requests).toEqual(expectedProxyRequests(emulator(), source, 'tunnel'))
    },
    60_000,
  )
})

describe("Deno's --allow-net", () => {
  it('must name the proxy: createHttpClient asks for it', async () => {
    const proxy = await startProxy()
    const finished = await runExample('proxy-deno', proxy, proxiedEnv(emulator(), 'AppService'), false)
    expect(finished.code).not.toBe(0)
    expect(finished.stderr).toContain(`Requires net access to "127.0.0.1:${proxy.port}"`)
    expect(proxy.requests).toEqual([])
  }, 60_000)
})

describe.each([
  ['Deno', 'deno', 'proxy-deno'],
  ['Bun', 'bun', 'proxy-bun'],
] as const)('%s with HTTPS_PROXY and HTTP_PROXY set', (_runtime, plain, recipe) => {
  const IMDS_EXCEPTED = 'localhost,127.0.0.1,169.254.169.254'

  it(`the plain example (${plain}) goes through the proxy for workload identity`, async () => {
    const proxy = await startProxy()
    const env = { ...proxiedEnv(emulator(), 'WorkloadIdentity'), ...proxyVariables(proxy, IMDS_EXCEPTED) }
    expectToken(await runExample(plain, proxy, env), 'WorkloadIdentity', EXAMPLES[plain])
    expect(proxy.requests).toEqual(expectedProxyRequests(emulator(), 'WorkloadIdentity', 'forward'))
  }, 60_000)

  it(`NO_PROXY=${IMDS_EXCEPTED}: IMDS is reached directly`, async () => {
    const proxy = await startProxy()
    const env = { ...proxiedEnv(emulator(), 'Imds'), ...proxyVariables(proxy, IMDS_EXCEPTED) }
    expectToken(await runExample(plain, proxy, env), 'Imds', EXAMPLES[plain])
    expect(proxy.requests).toEqual([])
  }, 60_000)

  it.each([plain, recipe])(
    'without NO_PROXY, %s sends IMDS to the proxy (withProxy cannot help)',
    async (example) => {
      const emu = emulator()
      const proxy = await startProxy()
      const env = { ...proxiedEnv(emu, 'Imds'), ...proxyVariables(proxy) }
      expectToken(await runExample(example, proxy, env), 'Imds', EXAMPLES[example])
      const imds = new URL(proxiedEnv(emu, 'Imds').AZURE_POD_IDENTITY_AUTHORITY_HOST ?? '')
      expect(proxy.requests).toMatchObject([
        {
          method: 'GET',
          target: expect.stringContaining(`${imds.origin}${imds.pathname}/`),
          outcome: 'relayed',
        },
      ])
    },
    60_000,
  )
})
