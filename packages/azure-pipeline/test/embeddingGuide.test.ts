/**
 * docs/embedding.md's examples (docs/examples/*.ts), checked three ways: the guide embeds each
 * file verbatim, each compiles under the repository's strict settings, and each runs against
 * the emulator on 127.0.0.1, at the embedding level it illustrates.
 */
import { readFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import type { AccessToken, Environment, HttpRequest, ManagedIdentityError } from '@azmi/core'
import ts from 'typescript'
import { describe, expect, test } from 'vitest'
import { emulatorPerFile } from './support.js'

const EXAMPLES = ['ownSend', 'stepByStep', 'pureParts'] as const
const examplesFolder = new URL('../../../docs/examples/', import.meta.url)
const emulator = emulatorPerFile()
const SCOPE = 'https://storage.azure.com/.default'

/** The example modules, typed as the test uses them (their own types are checked by tsc below). */
interface OwnSend {
  storageToken: (env: Environment) => Promise<AccessToken>
  FetchManagedIdentityCredential: new (
    env: Environment,
  ) => { getToken: (scope: string) => Promise<AccessToken> }
}
type Result = { _tag: 'Left'; left: ManagedIdentityError } | { _tag: 'Right'; right: AccessToken }
interface StepByStep {
  driveByHand: (env: Environment, scope: string, trace: (line: string) => void) => Promise<Result>
  runWithInterpreter: (env: Environment, scope: string) => Promise<{ result: Result; requests: number }>
}
interface PureParts {
  explain: (env: Environment) => ReadonlyArray<string>
  firstRequest: (env: Environment, scope: string) => HttpRequest | undefined
  tokenFromReply: (env: Environment, scope: string) => Promise<AccessToken | string>
}
const load = <T>(name: (typeof EXAMPLES)[number]): Promise<T> =>
  import(/* @vite-ignore */ new URL(`${name}.ts`, examplesFolder).href) as Promise<T>

describe('the guide and its example files', () => {
  test.each(EXAMPLES)('docs/embedding.md embeds docs/examples/%s.ts verbatim', async (name) => {
    const guide = await readFile(new URL('../embedding.md', examplesFolder), 'utf8')
    const marker = `<!-- example: docs/examples/${name}.ts -->\n\`\`\`ts\n`
    const start = guide.indexOf(marker)
    expect(start, `the guide has no ${marker.trim()}`).toBeGreaterThanOrEqual(0)
    const block = guide.slice(start + marker.length, guide.indexOf('\n```\n', start + marker.length))
    expect(block).toBe((await readFile(new URL(`${name}.ts`, examplesFolder), 'utf8')).trimEnd())
  })

  test('every example compiles (strict, exactOptionalPropertyTypes, noUncheckedIndexedAccess)', () => {
    const configPath = fileURLToPath(new URL('tsconfig.json', examplesFolder))
    const config = ts.getParsedCommandLineOfConfigFile(
      configPath,
      {},
      { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined },
    )
    if (config === undefined) throw new Error(`cannot read ${configPath}`)
    const program = ts.createProgram(config.fileNames, config.options)
    const examples = program.getSourceFiles().filter((file) => file.fileName.includes('/docs/examples/'))
    expect(examples.map((file) => file.fileName.replace(/.*\//, '')).sort()).toEqual(
      EXAMPLES.map((name) => `${name}.ts`).sort(),
    )
    const problems = examples.flatMap((file) => [
      ...program.getSyntacticDiagnostics(file),
      ...program.getSemanticDiagnostics(file),
    ])
    expect(problems.map((problem) => ts.flattenDiagnosticMessageText(problem.messageText, '\n'))).toEqual([])
  })
})

describe('level (a): the credential over your own send', () => {
  test('storageToken gets an App Service token through fetchSend', async () => {
    const { storageToken } = await load<OwnSend>('ownSend')
    expect(await storageToken(emulator().env('AppService'))).toMatchObject({ tokenType: 'Bearer' })
    expect(emulator().requests.map((request) => request.environment)).toEqual(['AppService'])
  })

  test('the class is a TokenCredential; a redirect is not followed; Service Fabric is refused unsent', async () => {
    const { FetchManagedIdentityCredential } = await load<OwnSend>('ownSend')
    expect(await new FetchManagedIdentityCredential(emulator().env('AzureML')).getToken(SCOPE)).toMatchObject(
      { token: expect.any(String) },
    )
    emulator().clearRequests()
    emulator().script('CloudShell', [{ redirectTo: 'http://127.0.0.1:1/' }])
    await expect(
      new FetchManagedIdentityCredential(emulator().env('CloudShell')).getToken(SCOPE),
    ).rejects.toMatchObject({
      code: 'http_error',
    })
    expect(emulator().requests).toHaveLength(1)
    await expect(
      new FetchManagedIdentityCredential(emulator().env('ServiceFabric')).getToken(SCOPE),
    ).rejects.toMatchObject({
      code: 'unsupported_runtime',
    })
    expect(emulator().requests).toHaveLength(1)
  })
})

describe('level (b): the plan as data', () => {
  test('driven by hand: a 503, the retry wait, then the token', async () => {
    const { driveByHand } = await load<StepByStep>('stepByStep')
    emulator().script('AppService', [{ status: 503 }])
    const trace: string[] = []
    expect(await driveByHand(emulator().env('AppService'), SCOPE, (line) => trace.push(line))).toMatchObject({
      _tag: 'Right',
      right: { tokenType: 'Bearer' },
    })
    expect(trace).toEqual([
      'Send GET /appservice/msi/token → 503',
      expect.stringMatching(/^Wait \d+(\.\d+)?–\d+(\.\d+)? ms$/),
      'Send GET /appservice/msi/token → 200',
      'Done',
    ])
    expect(emulator().requests[0]?.headers['x-ms-client-request-id']).toMatch(/^[0-9a-f-]{36}$/)
  })

  test('driven by hand: workload identity reads its token file, then posts it to Entra ID over TLS', async () => {
    const { driveByHand } = await load<StepByStep>('stepByStep')
    const env = emulator().env('WorkloadIdentity')
    const trace: string[] = []
    expect(await driveByHand(env, SCOPE, (line) => trace.push(line))).toMatchObject({ _tag: 'Right' })
    expect(trace).toEqual([
      `ReadFile ${env.AZURE_FEDERATED_TOKEN_FILE}`,
      expect.stringMatching(/^Send POST \/entra\/.+\/oauth2\/v2\.0\/token → 200$/),
      'Done',
    ])
  })

  test('run by runPlan with the same capabilities', async () => {
    const { runWithInterpreter } = await load<StepByStep>('stepByStep')
    const report = await runWithInterpreter(emulator().env('AzureML'), SCOPE)
    expect(report).toMatchObject({ result: { _tag: 'Right' }, requests: 1 })
  })
})

describe('level (c): only the pure pieces', () => {
  test('explain, the first request as data, and the reply your own code fetched, parsed', async () => {
    const { explain, firstRequest, tokenFromReply } = await load<PureParts>('pureParts')
    const env = emulator().env('CloudShell')
    expect(explain(env).find((line) => line.startsWith('CloudShell'))).toMatch(/^CloudShell: chosen/)
    const request = firstRequest(env, SCOPE)
    expect(request).toMatchObject({ method: 'POST', url: expect.stringContaining(emulator().url) })
    expect(emulator().requests).toHaveLength(0)
    expect(await tokenFromReply(env, SCOPE)).toMatchObject({ tokenType: 'Bearer' })
    expect(emulator().requests).toHaveLength(1)
  })
})
