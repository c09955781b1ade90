/**
 * AKS identity bindings (docs/protocol.md §2.7): the token request goes to the token proxy,
 * with the proxy's CA and server name as request data; every variable is checked first; the CA
 * file is read before each request and an empty file (mid-rotation) keeps the previous CA.
 */
import * as E from 'fp-ts/lib/Either.js'
import { describe, expect, test } from 'vitest'
import { fileFailure, planToken, runPlan, type Source } from '../../src/index.js'
import { fakeWorld } from '../fakes.js'
import { selected, sentRequests, tokenReply, walkFor } from './plans.js'

const TOKEN_FILE = '/var/run/secrets/azure/tokens/azure-identity-token'
const CA_FILE = '/var/run/secrets/azure/tokens/ca.crt'
const WORKLOAD = {
  AZURE_AUTHORITY_HOST: 'https://login.microsoftonline.com',
  AZURE_TENANT_ID: 'tenant-id',
  AZURE_FEDERATED_TOKEN_FILE: TOKEN_FILE,
  AZURE_CLIENT_ID: 'client-id',
}
const PROXIED = {
  ...WORKLOAD,
  AZURE_KUBERNETES_TOKEN_PROXY: 'https://10.0.0.1:8443/proxy/',
  AZURE_KUBERNETES_SNI_NAME: 'proxy.aks.test',
}
const PEM = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n'

describe('the request goes to the proxy', () => {
  test('the authority path is appended to the proxy path; the CA file and server name travel with it', () => {
    const env = { ...PROXIED, AZURE_KUBERNETES_CA_FILE: CA_FILE }
    const walked = walkFor(env, {
      replies: [tokenReply()],
      files: { [TOKEN_FILE]: 'federated', [CA_FILE]: PEM },
    })
    expect(walked.steps.map((step) => step._tag)).toEqual(['ReadFile', 'ReadFile', 'Send'])
    const [request] = sentRequests(walked)
    expect(request?.url).toBe('https://10.0.0.1:8443/proxy/tenant-id/oauth2/v2.0/token')
    expect(request?.tls).toEqual({ ca: PEM, servername: 'proxy.aks.test' })
    expect(new URLSearchParams(request?.body).get('client_assertion')).toBe('federated')
  })

  test('CA data instead of a file; no CA at all uses the system trust store', () => {
    const withData = walkFor(
      { ...PROXIED, AZURE_KUBERNETES_CA_DATA: PEM },
      { replies: [tokenReply()], files: { [TOKEN_FILE]: 't' } },
    )
    expect(sentRequests(withData)[0]?.tls).toEqual({ ca: PEM, servername: 'proxy.aks.test' })
    const system = walkFor(PROXIED, { replies: [tokenReply()], files: { [TOKEN_FILE]: 't' } })
    expect(sentRequests(system)[0]?.tls).toEqual({ servername: 'proxy.aks.test' })
  })

  test('explain says the proxy is in use', () => {
    expect(selected(PROXIED)).toMatchObject({ right: { _tag: 'WorkloadIdentity' } })
  })
})

describe('every variable is checked before any request', () => {
  test.each([
    ['http proxy', { AZURE_KUBERNETES_TOKEN_PROXY: 'http://10.0.0.1/' }, 'AZURE_KUBERNETES_TOKEN_PROXY'],
    [
      'user information',
      { AZURE_KUBERNETES_TOKEN_PROXY: 'https://u:p@10.0.0.1/' },
      'AZURE_KUBERNETES_TOKEN_PROXY',
    ],
    ['a query', { AZURE_KUBERNETES_TOKEN_PROXY: 'https://10.0.0.1/?x=1' }, 'AZURE_KUBERNETES_TOKEN_PROXY'],
    ['a fragment', { AZURE_KUBERNETES_TOKEN_PROXY: 'https://10.0.0.1/#x' }, 'AZURE_KUBERNETES_TOKEN_PROXY'],
    [
      'both CAs',
      { AZURE_KUBERNETES_CA_FILE: CA_FILE, AZURE_KUBERNETES_CA_DATA: PEM },
      'AZURE_KUBERNETES_CA_DATA',
    ],
  ])('%s is a configuration error naming the variable, never its value', (_case, change, setting) => {
    const result = selected({ ...PROXIED, ...change })
    expect(result).toMatchObject({ left: { code: 'invalid_configuration', setting } })
    expect(JSON.stringify(result)).not.toContain('u:p')
  })

  test.each(['AZURE_KUBERNETES_SNI_NAME', 'AZURE_KUBERNETES_CA_FILE', 'AZURE_KUBERNETES_CA_DATA'])(
    '%s without AZURE_KUBERNETES_TOKEN_PROXY is a configuration error',
    (name) => {
      expect(selected({ ...WORKLOAD, [name]: 'x' })).toMatchObject({
        left: { code: 'invalid_configuration', setting: name },
      })
    },
  )

  test.each(['.', '..'])(
    'AZURE_TENANT_ID %s is refused (it would drop the tenant from the path)',
    (tenant) => {
      expect(selected({ ...WORKLOAD, AZURE_TENANT_ID: tenant })).toMatchObject({
        left: { setting: 'AZURE_TENANT_ID' },
      })
    },
  )
})

describe('the CA file rotates', () => {
  const source = (): Source => {
    const chosen = selected({ ...PROXIED, AZURE_KUBERNETES_CA_FILE: CA_FILE })
    if (E.isLeft(chosen)) throw new Error(chosen.left.message)
    return chosen.right
  }
  const runWith = async (
    caText: string | undefined,
    files: Map<string, { text: string; readAt: number }>,
  ) => {
    const world = fakeWorld({
      files: { [TOKEN_FILE]: 't', ...(caText === undefined ? {} : { [CA_FILE]: caText }) },
    })
    const plan = planToken(source(), 'https://vault.azure.net/.default')
    if (E.isLeft(plan)) throw new Error(plan.left.message)
    const context = {
      capabilities: world.capabilities,
      source: 'WorkloadIdentity' as const,
      signal: undefined,
    }
    const report = await runPlan(plan.right, { ...context, deadlineMs: 60_000, secrets: [], files })
    return { report, sent: world.sent }
  }

  test('a new CA applies at once; an empty file keeps the previous one; with none known it is an error', async () => {
    const files = new Map<string, { text: string; readAt: number }>()
    expect((await runWith('', files)).report.result).toMatchObject({
      left: { setting: 'AZURE_KUBERNETES_CA_FILE' },
    })
    expect((await runWith(PEM, files)).sent[0]?.tls?.ca).toBe(PEM)
    const rotated = PEM.replace('MIIB', 'MIIC')
    expect((await runWith(rotated, files)).sent[0]?.tls?.ca).toBe(rotated)
    expect((await runWith('\n', files)).sent[0]?.tls?.ca).toBe(rotated)
  })

  test('an unreadable CA file is a configuration error', async () => {
    const failure = await runWith(undefined, new Map())
    expect(failure.report.result).toMatchObject({
      left: { code: 'invalid_configuration', setting: 'AZURE_KUBERNETES_CA_FILE' },
    })
    void fileFailure
  })
})
