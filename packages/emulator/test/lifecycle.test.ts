import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { Agent } from 'node:http'
import { connect } from 'node:net'
import { tmpdir } from 'node:os'
import { fileURLToPath } from 'node:url'
import { SOURCE_NAMES } from '@azmi/core'
import { describe, expect, test } from 'vitest'
import { linuxArcKeyDirectory } from '../src/emulatorFiles.js'
import { type Emulator, environmentNames, startEmulator } from '../src/index.js'
import { decodeJwtPayload } from '../src/tokens.js'
import { jsonBody, send } from './httpClient.js'

/** Resolves with the error code of a TCP connection attempt to `url` ('connected' if it succeeds). */
const connectionOutcome = (url: string): Promise<string> =>
  new Promise((resolve) => {
    const socket = connect(Number(new URL(url).port), '127.0.0.1')
    socket.on('connect', () => {
      socket.destroy()
      resolve('connected')
    })
    socket.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'))
  })

const listenerUrls = (emulator: Emulator): string[] => [
  emulator.url,
  emulator.tlsUrl,
  emulator.env('ServiceFabric').IDENTITY_ENDPOINT ?? '',
  emulator.tokenProxy.url,
]

describe('recording', () => {
  test('records every request with its environment, raw headers, query and body', async () => {
    const emulator = await startEmulator()
    try {
      const before = Date.now()
      await send({
        url: `${emulator.url}/cloudshell/oauth2/token`,
        method: 'POST',
        headers: {
          Metadata: 'true',
          'Content-Type': 'application/x-www-form-urlencoded',
          'X-Custom': 'A b  C',
        },
        body: 'resource=https%3A%2F%2Fvault.azure.net',
      })
      await send({ url: `${emulator.url}/nowhere?a=1&b=%20two` })
      await send({
        url: `${emulator.tlsUrl}/entra/x/oauth2/v2.0/token`,
        method: 'POST',
        ca: emulator.caCertificatePem,
      })
      await send({ url: `${emulator.env('ServiceFabric').IDENTITY_ENDPOINT}`, insecure: true })
      const [cloudShell, unknown, entra, serviceFabric, ...rest] = emulator.requests
      expect(rest).toEqual([])
      expect(cloudShell).toMatchObject({
        environment: 'CloudShell',
        method: 'POST',
        path: '/cloudshell/oauth2/token',
        query: {},
        body: 'resource=https%3A%2F%2Fvault.azure.net',
        headers: {
          metadata: 'true',
          'x-custom': 'A b  C',
          'content-type': 'application/x-www-form-urlencoded',
        },
      })
      expect(cloudShell?.at).toBeGreaterThanOrEqual(before)
      expect(unknown).toMatchObject({
        environment: 'unknown',
        path: '/nowhere',
        query: { a: '1', b: ' two' },
      })
      expect(entra?.environment).toBe('WorkloadIdentity')
      expect(serviceFabric?.environment).toBe('ServiceFabric')
    } finally {
      await emulator.close()
    }
  })

  test('records the x-ms-client-request-id a client sends, as sent', async () => {
    const emulator = await startEmulator()
    try {
      const requestId = '6f2c1e5a-8b1d-4c3e-9f7a-0d2b4c6e8a10'
      const imds = emulator.env('Imds').AZURE_POD_IDENTITY_AUTHORITY_HOST
      await send({
        url: `${imds}/metadata/identity/oauth2/token?api-version=2018-02-01&resource=x`,
        headers: { Metadata: 'true', 'x-ms-client-request-id': requestId },
      })
      expect(emulator.requests[0]?.headers['x-ms-client-request-id']).toBe(requestId)
    } finally {
      await emulator.close()
    }
  })

  test('requests is a snapshot, and clearRequests empties the log', async () => {
    const emulator = await startEmulator()
    try {
      await send({ url: `${emulator.url}/nowhere` })
      const snapshot = emulator.requests
      emulator.clearRequests()
      expect(snapshot).toHaveLength(1)
      expect(emulator.requests).toEqual([])
    } finally {
      await emulator.close()
    }
  })
})

describe('environments', () => {
  test('are the core source names, in its order, and each has variables', async () => {
    expect(environmentNames).toEqual(SOURCE_NAMES)
    const emulator = await startEmulator()
    try {
      for (const name of environmentNames) expect(Object.keys(emulator.env(name)).length).toBeGreaterThan(0)
      expect(() => emulator.env('Nowhere' as never)).toThrow(RangeError)
    } finally {
      await emulator.close()
    }
  })
})

describe('options', () => {
  test('tenantId and tokenLifetimeSeconds shape the tokens', async () => {
    const tenantId = '72f988bf-86f1-41af-91ab-2d7cd011db47'
    const emulator = await startEmulator({ tenantId, tokenLifetimeSeconds: 600 })
    try {
      const imds = emulator.env('Imds').AZURE_POD_IDENTITY_AUTHORITY_HOST
      const url = `${imds}/metadata/identity/oauth2/token?api-version=2018-02-01&resource=api://x`
      const body = jsonBody(await send({ url, headers: { Metadata: 'true' } }))
      expect(body.expires_in).toBe('600')
      expect(decodeJwtPayload(String(body.access_token))).toMatchObject({ tid: tenantId, aud: 'api://x' })
      expect(emulator.tenantId).toBe(tenantId)
    } finally {
      await emulator.close()
    }
  })

  test.each([0, -5, 1.5, Number.NaN])('rejects a token lifetime of %s', async (tokenLifetimeSeconds) => {
    await expect(startEmulator({ tokenLifetimeSeconds })).rejects.toThrow(RangeError)
  })

  test('the default Arc key directory is the agent directory for root on Linux, else a temp directory', async () => {
    const emulator = await startEmulator()
    await emulator.close()
    const linuxRoot = process.platform === 'linux' && process.getuid?.() === 0
    if (linuxRoot) expect(emulator.arcKeyDirectory).toBe(linuxArcKeyDirectory)
    else expect(emulator.arcKeyDirectory.startsWith(tmpdir())).toBe(true)
    // The agent directory outlives the emulator; a temporary one goes with it.
    expect(existsSync(emulator.arcKeyDirectory)).toBe(linuxRoot)
  })
})

describe('close', () => {
  test('ends keep-alive and hung connections, refuses new ones and deletes its files', async () => {
    const emulator = await startEmulator()
    const tokenFile = emulator.env('WorkloadIdentity').AZURE_FEDERATED_TOKEN_FILE ?? ''
    const agent = new Agent({ keepAlive: true })
    await send({ url: `${emulator.url}/nowhere`, agent })
    emulator.script('Imds', [{ hang: true }])
    const hung = send({
      url: `${emulator.url}/imds/metadata/identity/oauth2/token?api-version=1&resource=x`,
      headers: { Metadata: 'true' },
    }).then(
      (reply) => `answered ${reply.status}`,
      (error: NodeJS.ErrnoException) => error.code,
    )
    while (emulator.requests.length < 2) await new Promise((resolve) => setTimeout(resolve, 5))
    await emulator.close()
    expect(await hung).toBe('ECONNRESET')
    agent.destroy()
    expect(await Promise.all(listenerUrls(emulator).map(connectionOutcome))).toEqual(
      Array(4).fill('ECONNREFUSED'),
    )
    expect(existsSync(tokenFile)).toBe(false)
    expect(existsSync(emulator.tokenProxy.caFile)).toBe(false)
    await expect(emulator.close()).resolves.toBeUndefined()
  })

  test('leaves nothing that keeps the process alive', async () => {
    const fixture = fileURLToPath(new URL('./fixtures/closeThenExit.ts', import.meta.url))
    const child = spawn(process.execPath, ['--import', 'tsx', fixture], {
      cwd: fileURLToPath(new URL('../../..', import.meta.url)),
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    const out: Buffer[] = []
    const errors: Buffer[] = []
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk))
    child.stderr.on('data', (chunk: Buffer) => errors.push(chunk))
    // 'close' comes after the exit and after both pipes have been read to the end.
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve))
    const stdout = Buffer.concat(out).toString('utf8')
    const stderr = Buffer.concat(errors).toString('utf8')
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' })
    const report = JSON.parse(stdout) as {
      idle: string[]
      interrupted: string[]
      files: string[]
      urls: string[]
    }
    expect(report.idle).toEqual(['200', '404', '401', '404', '404'])
    expect(report.interrupted).toEqual(['ECONNRESET', 'ECONNRESET', 'ECONNRESET'])
    expect(report.files).toHaveLength(2)
    expect(report.files.some((file) => existsSync(file))).toBe(false)
    expect(await Promise.all(report.urls.map(connectionOutcome))).toEqual(Array(4).fill('ECONNREFUSED'))
  }, 30_000)
})
