/**
 * The floor under a cold token: one token request made by hand, with no library, through
 * `node:http` or `fetch`, in a fresh process. What a library takes beyond it is its own.
 */
import type { EnvironmentName } from './subjects.js'

export type FloorId = 'floor-http' | 'floor-fetch'

export const floorIds: ReadonlyArray<FloorId> = ['floor-http', 'floor-fetch']

const RESOURCE = encodeURIComponent('https://storage.azure.com')

/** The token request of the environment whose variables are in `env`, as its protocol has it. */
const tokenRequest = (env: NodeJS.ProcessEnv): { url: string; headers: Record<string, string> } => {
  const environment: EnvironmentName = env.IDENTITY_ENDPOINT !== undefined ? 'AppService' : 'Imds'
  return environment === 'AppService'
    ? {
        url: `${env.IDENTITY_ENDPOINT}?api-version=2019-08-01&resource=${RESOURCE}`,
        headers: { 'X-IDENTITY-HEADER': env.IDENTITY_HEADER ?? '' },
      }
    : {
        url: `${env.AZURE_POD_IDENTITY_AUTHORITY_HOST}/metadata/identity/oauth2/token?api-version=2018-02-01&resource=${RESOURCE}`,
        headers: { Metadata: 'true' },
      }
}

const overHttp = async (url: string, headers: Record<string, string>): Promise<string> => {
  const { get } = await import('node:http')
  return new Promise((resolve, reject) => {
    get(url, { headers }, (response) => {
      let body = ''
      response.setEncoding('utf8')
      response.on('data', (chunk: string) => {
        body += chunk
      })
      response.on('end', () => resolve(body))
    }).on('error', reject)
  })
}

/** One bare token request; the module it needs is imported before the clock starts. */
export const floorRequest = async (id: FloorId) => {
  const { url, headers } = tokenRequest(process.env)
  if (id === 'floor-http') await import('node:http')
  const cpuBefore = process.cpuUsage()
  const start = performance.now()
  const body =
    id === 'floor-http' ? await overHttp(url, headers) : await (await fetch(url, { headers })).text()
  const firstTokenMs = performance.now() - start
  const cpu = process.cpuUsage(cpuBefore)
  const reply = JSON.parse(body) as { access_token?: unknown }
  if (typeof reply.access_token !== 'string') throw new Error(`no token in ${body.slice(0, 200)}`)
  return { firstTokenMs, firstTokenCpuMs: (cpu.user + cpu.system) / 1000 }
}
