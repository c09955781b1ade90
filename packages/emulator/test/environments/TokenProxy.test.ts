import { existsSync, readFileSync, statSync } from 'node:fs'
import { describe, expect, test } from 'vitest'
import { startEmulator } from '../../src/index.js'
import { workloadIdentityForm } from '../clientRequests.js'
import { emulatorForFile } from '../emulatorForFile.js'
import { jsonBody, send } from '../httpClient.js'
import { expectIssuedToken } from '../tokenClaims.js'

const emulator = await emulatorForFile()

const sniName = 'token-proxy.aks.test'

/** POSTs the token form to `path` below the proxy URL, trusting `ca`, sending `servername` as SNI. */
const postToProxy = (options: { path?: string; ca?: string; servername?: string | undefined } = {}) => {
  const env = emulator.env('WorkloadIdentity', { tokenProxy: true })
  const proxy = env.AZURE_KUBERNETES_TOKEN_PROXY ?? ''
  const path = options.path ?? `/entra/${emulator.tenantId}/oauth2/v2.0/token`
  const servername = 'servername' in options ? options.servername : sniName
  return send({
    url: `${proxy}${path}`,
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(workloadIdentityForm(emulator)).toString(),
    ca: options.ca ?? readFileSync(env.AZURE_KUBERNETES_CA_FILE ?? '', 'utf8'),
    ...(servername === undefined ? {} : { servername }),
  })
}

describe('the AKS token proxy', () => {
  test('env adds the proxy URL, the SNI name and a CA file holding the proxy CA', () => {
    const env = emulator.env('WorkloadIdentity', { tokenProxy: true })
    expect(env).toEqual({
      ...emulator.env('WorkloadIdentity'),
      AZURE_KUBERNETES_TOKEN_PROXY: emulator.tokenProxy.url,
      AZURE_KUBERNETES_SNI_NAME: sniName,
      AZURE_KUBERNETES_CA_FILE: emulator.tokenProxy.caFile,
    })
    expect(emulator.tokenProxy.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/token-proxy$/)
    expect(readFileSync(emulator.tokenProxy.caFile, 'utf8')).toBe(emulator.tokenProxy.caPems.first)
    expect(emulator.tokenProxy.caPem).not.toBe(emulator.caCertificatePem)
  })

  test('env can pass the CA as PEM text instead of a file', () => {
    const env = emulator.env('WorkloadIdentity', { tokenProxy: true, tokenProxyCa: 'data' })
    expect(env.AZURE_KUBERNETES_CA_DATA).toBe(emulator.tokenProxy.caPem)
    expect(env).not.toHaveProperty('AZURE_KUBERNETES_CA_FILE')
  })

  test.each([
    ['the authority host path kept', (tenant: string) => `/entra/${tenant}/oauth2/v2.0/token`],
    ['the tenant path only', (tenant: string) => `/${tenant}/oauth2/v2.0/token`],
  ])(
    'answers as Entra does, with %s, and records the request as WorkloadIdentity via the proxy',
    async (_case, path) => {
      emulator.clearRequests()
      const reply = await postToProxy({ path: path(emulator.tenantId) })
      expect(reply.status).toBe(200)
      const body = jsonBody(reply)
      expectIssuedToken(body, { emulator, who: 'user', audience: 'https://storage.azure.com' })
      expect(emulator.requests).toMatchObject([
        {
          environment: 'WorkloadIdentity',
          via: 'tokenProxy',
          servername: sniName,
          method: 'POST',
          path: `/token-proxy${path(emulator.tenantId)}`,
        },
      ])
    },
  )

  test('its certificate is not valid for 127.0.0.1: a client that does not send the SNI name fails', async () => {
    await expect(postToProxy({ servername: undefined })).rejects.toMatchObject({
      code: 'ERR_TLS_CERT_ALTNAME_INVALID',
    })
  })

  test('its CA is its own: the emulator test CA does not verify it', async () => {
    await expect(postToProxy({ ca: emulator.caCertificatePem })).rejects.toMatchObject({
      code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
    })
  })

  test('scripted faults for WorkloadIdentity apply through the proxy', async () => {
    emulator.script('WorkloadIdentity', [{ status: 503 }])
    expect((await postToProxy()).status).toBe(503)
  })

  test('a path outside the proxy path is a 404 recorded as unknown', async () => {
    emulator.clearRequests()
    const reply = await postToProxy({ path: '/../elsewhere' })
    expect(reply.status).toBe(404)
    expect(emulator.requests[0]?.environment).toBe('unknown')
  })
})

describe('CA rotation', () => {
  test('by default switches to the other CA: certificate served and CA file together', async () => {
    const oldCa = emulator.tokenProxy.caPems.first
    emulator.rotateTokenProxyCa()
    try {
      expect(emulator.tokenProxy.serving).toBe('second')
      expect(readFileSync(emulator.tokenProxy.caFile, 'utf8')).toBe(emulator.tokenProxy.caPems.second)
      expect(emulator.tokenProxy.caPem).toBe(emulator.tokenProxy.caPems.second)
      expect((await postToProxy()).status).toBe(200)
      await expect(postToProxy({ ca: oldCa })).rejects.toMatchObject({
        code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
      })
    } finally {
      emulator.rotateTokenProxyCa({ serve: 'first' })
    }
    expect(readFileSync(emulator.tokenProxy.caFile, 'utf8')).toBe(oldCa)
  })

  test('can leave the CA file empty mid-rotation, or hold both CAs', async () => {
    emulator.rotateTokenProxyCa({ serve: 'first', caFile: 'empty' })
    expect(statSync(emulator.tokenProxy.caFile).size).toBe(0)
    expect((await postToProxy({ ca: emulator.tokenProxy.caPems.first })).status).toBe(200)
    emulator.rotateTokenProxyCa({ serve: 'second', caFile: 'both' })
    expect((await postToProxy()).status).toBe(200)
    emulator.rotateTokenProxyCa({ serve: 'first', caFile: 'first' })
    expect((await postToProxy()).status).toBe(200)
  })

  test('the served certificate can run ahead of the CA file', async () => {
    emulator.rotateTokenProxyCa({ serve: 'second', caFile: 'first' })
    try {
      await expect(postToProxy()).rejects.toMatchObject({ code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' })
    } finally {
      emulator.rotateTokenProxyCa({ serve: 'first', caFile: 'first' })
    }
  })

  test('rejects what it does not know', () => {
    expect(() => emulator.rotateTokenProxyCa({ serve: 'third' as never })).toThrow(RangeError)
    expect(() => emulator.rotateTokenProxyCa({ caFile: 'missing' as never })).toThrow(RangeError)
  })
})

describe('tokenProxyPath', () => {
  test("'/' serves the authority path at the root", async () => {
    const rooted = await startEmulator({ tokenProxyPath: '/' })
    try {
      const env = rooted.env('WorkloadIdentity', { tokenProxy: true })
      expect(env.AZURE_KUBERNETES_TOKEN_PROXY).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/$/)
      const reply = await send({
        url: `${env.AZURE_KUBERNETES_TOKEN_PROXY}${rooted.tenantId}/oauth2/v2.0/token`,
        method: 'POST',
        body: '',
        ca: rooted.tokenProxy.caPem,
        servername: sniName,
      })
      // Reached Entra's checks (no form): the route is right.
      expect(reply.status).toBe(400)
      expect(rooted.requests[0]).toMatchObject({ environment: 'WorkloadIdentity', via: 'tokenProxy' })
    } finally {
      await rooted.close()
    }
    expect(existsSync(rooted.tokenProxy.caFile)).toBe(false)
  })

  test('with a query or spaces is a RangeError', async () => {
    await expect(startEmulator({ tokenProxyPath: '/x?y' })).rejects.toThrow(RangeError)
  })
})
