/**
 * docs/migrating-from-azure-identity.md, checked: every TypeScript example on the page (each a
 * ```ts block after an `<!-- example: name -->` marker) compiles under the repository's strict
 * settings, against the installed `@azmi/*`, `@azure/*` and `@opentelemetry/api`; each azmi
 * example listed in {@link EXAMPLES} with `run` also runs, as the page shows it, in a Node
 * process of its own whose whole environment is the emulator's; the page's table of error codes
 * is exactly the `ErrorCode` union; and what the page says `@azure/identity` 4.13.1 does is
 * what it does, asked in a process of its own (`support/incumbent.ts`).
 *
 * The examples are taken from the page rather than from files, so that the page reads as code a
 * team would write and cannot drift from what is tested.
 */
import { readFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import type { Emulator, EnvironmentName, RecordedRequest } from '@azmi/emulator'
import { decodeJwtPayload } from '@azmi/emulator'
import { ManagedIdentityCredential } from '@azmi/node-io'
import { type ChildOutcome, emulatorPerFile, runProcess } from '@azmi/test-support'
import { CredentialUnavailableError as IdentityUnavailableError } from '@azure/identity'
import ts from 'typescript'
import { describe, expect, test } from 'vitest'
import { type IncumbentScenario, runIncumbent } from './support/incumbent.js'

const SCOPE = 'https://storage.azure.com/.default'
const PAGE = new URL('../../../docs/migrating-from-azure-identity.md', import.meta.url)
const README = new URL('../../../README.md', import.meta.url)
/** Where an example is compiled and run from: a package whose dependencies it imports. */
const HOMES = {
  interop: fileURLToPath(new URL('..', import.meta.url)),
  'azure-pipeline': fileURLToPath(new URL('../../azure-pipeline/', import.meta.url)),
} as const

const emulator = emulatorPerFile()

/** What a run example's process wrote, and the requests the emulator saw meanwhile. */
interface Ran extends ChildOutcome {
  readonly lines: ReadonlyArray<string>
  readonly requests: ReadonlyArray<RecordedRequest>
}
interface Run {
  /** The hosting environment the process sees (plus, as a safety net, an IMDS host on 127.0.0.1). */
  readonly environment: EnvironmentName | ((emulator: Emulator) => Record<string, string>)
  readonly home?: keyof typeof HOMES
  readonly before?: (emulator: Emulator) => void
  /** The example writes to stderr on purpose, and `check` reads it; any other must write nothing there. */
  readonly writesStderr?: true
  readonly check: (ran: Ran) => void
}
type Example = { readonly run: Run } | { readonly compileOnly: string }

const INCUMBENT = "@azure/identity's own code: what it does is checked below"
const stdoutLines = ({ stdout }: { stdout: string }) => stdout.split('\n').filter((line) => line !== '')
const oneRequestTo = (environment: EnvironmentName) => (ran: Ran) =>
  expect(ran.requests.map((request) => request.environment)).toEqual([environment])

/** Every example on the page, and how this test treats it. */
const EXAMPLES: Readonly<Record<string, Example>> = {
  'import-before': { compileOnly: INCUMBENT },
  'import-after': { compileOnly: 'it only builds a storage client for an account that does not exist' },
  'constructor-forms': {
    run: {
      environment: 'AppService',
      check: (ran) => expect([ran.stdout, ran.requests]).toEqual(['5\n', []]),
    },
  },
  'constructor-mistakes': {
    run: {
      environment: 'AppService',
      check: (ran) =>
        expect(ran.lines).toEqual([
          'invalid_configuration options',
          'invalid_configuration clientId',
          'invalid_configuration clientId',
          'invalid_configuration objectId',
        ]),
    },
  },
  'retry-before': { compileOnly: INCUMBENT },
  'retry-after': {
    run: {
      environment: 'AppService',
      before: (emu) => emu.script('AppService', [{ status: 503 }]),
      check: (ran) => {
        expect(ran.lines).toEqual(['true'])
        expect(ran.requests.map((request) => request.environment)).toEqual(['AppService', 'AppService'])
      },
    },
  },
  'logging-bridge': {
    run: {
      environment: 'AppService',
      writesStderr: true,
      check: (ran) =>
        expect(ran.stderr.split('\n').filter((line) => line !== '')).toEqual([
          'azure:azmi:info ManagedIdentityCredential => source-selected source=AppService',
          expect.stringMatching(
            /^azure:azmi:info ManagedIdentityCredential => token-cached source=AppService /,
          ),
        ]),
    },
  },
  'logging-function': {
    run: {
      environment: 'AppService',
      check: (ran) =>
        expect(ran.lines.map((line) => JSON.parse(line).event)).toEqual([
          'source-selected',
          'request-sent',
          'reply-received',
          'token-cached',
        ]),
    },
  },
  tracing: { run: { environment: 'AppService', check: oneRequestTo('AppService') } },
  'proxy-before': { compileOnly: INCUMBENT },
  'proxy-after': {
    // proxy.example resolves nowhere: a token means the loopback endpoint was reached directly
    run: {
      environment: 'AppService',
      check: (ran) => expect([ran.lines, ran.requests.length]).toEqual([['true'], 1]),
    },
  },
  'http-client-before': { compileOnly: INCUMBENT },
  'http-client-fetch': {
    run: {
      environment: 'AzureML',
      check: (ran) => expect(ran.lines).toEqual([expect.stringMatching(/^200 after \d+ ms$/)]),
    },
  },
  'http-client-pipeline': {
    run: {
      environment: 'AppService',
      home: 'azure-pipeline',
      check: (ran) => expect(ran.lines).toEqual(['Bearer']),
    },
  },
  chain: { run: { environment: 'AppService', check: oneRequestTo('AppService') } },
  'default-chain-before': { compileOnly: INCUMBENT },
  'default-chain-after': { run: { environment: 'AzureML', check: oneRequestTo('AzureML') } },
  errors: {
    run: {
      // IDENTITY_ENDPOINT alone selects nothing (docs/protocol.md §1.2 rule 1.4): no request
      environment: (emu) => ({ IDENTITY_ENDPOINT: emu.env('AppService').IDENTITY_ENDPOINT ?? '' }),
      check: (ran) => expect([ran.lines, ran.requests]).toEqual([['no_source not on Azure'], []]),
    },
  },
}

// -------------------------------------------------------------------------------------
// the page
// -------------------------------------------------------------------------------------

interface PageExample {
  readonly name: string
  readonly code: string
}

/** The marked ```ts blocks of the page (inside list items too), and how many ```ts blocks it has. */
const pageExamples = async (): Promise<{ examples: ReadonlyArray<PageExample>; blocks: number }> => {
  const page = await readFile(PAGE, 'utf8')
  const marked = /^( *)<!-- example: ([a-z-]+) -->\n\1```ts\n([\s\S]*?)\n\1```$/gm
  const examples = [...page.matchAll(marked)].map(([, indent = '', name = '', body = '']) => ({
    name,
    code: body
      .split('\n')
      .map((line) => line.slice(indent.length))
      .join('\n'),
  }))
  return { examples, blocks: page.match(/```ts\n/g)?.length ?? 0 }
}

/** The codes in the first column of the first table at or after `marker` in `text`, below its header. */
const tableCodes = (text: string, marker: string): ReadonlyArray<string> => {
  const lines = text.slice(text.indexOf(marker)).split('\n')
  const header = lines.findIndex((line) => line.startsWith('|'))
  const end = lines.findIndex((line, index) => index > header && !line.startsWith('|'))
  return lines.slice(header + 2, end).flatMap((line) => /^\| `([a-z_]+)` \|/.exec(line)?.slice(1) ?? [])
}

/** Type-check `files` (absolute path → text) as if they were on disk; the problems found in them. */
const typeProblems = (files: ReadonlyMap<string, string>): ReadonlyArray<string> => {
  const configPath = fileURLToPath(new URL('../tsconfig.json', import.meta.url))
  const config = ts.getParsedCommandLineOfConfigFile(
    configPath,
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: () => undefined,
    },
  )
  if (config === undefined) throw new Error(`cannot read ${configPath}`)
  const host = ts.createCompilerHost(config.options)
  const getSourceFile = host.getSourceFile.bind(host)
  host.getSourceFile = (fileName, version, ...rest) => {
    const text = files.get(fileName)
    return text === undefined
      ? getSourceFile(fileName, version, ...rest)
      : ts.createSourceFile(fileName, text, version)
  }
  host.fileExists = (fileName) => files.has(fileName) || ts.sys.fileExists(fileName)
  host.readFile = (fileName) => files.get(fileName) ?? ts.sys.readFile(fileName)
  const program = ts.createProgram([...files.keys()], config.options, host)
  return [...files.keys()].flatMap((fileName) => {
    const file = program.getSourceFile(fileName)
    const diagnostics = file === undefined ? [] : ts.getPreEmitDiagnostics(program, file)
    return diagnostics.map(
      (each) => `${fileName}: ${ts.flattenDiagnosticMessageText(each.messageText, '\n')}`,
    )
  })
}

/** Where an example's text is placed for the compiler: inside its home package, next to its dependencies. */
const virtualPath = (name: string) => {
  const example = EXAMPLES[name]
  const home = example !== undefined && 'run' in example ? (example.run.home ?? 'interop') : 'interop'
  return `${HOMES[home]}test/migration-example-${name}.ts`
}

describe('docs/migrating-from-azure-identity.md', () => {
  test('every ```ts block is a marked example, and every example is in this test', async () => {
    const { examples, blocks } = await pageExamples()
    expect(examples).toHaveLength(blocks)
    expect(examples.map((example) => example.name)).toEqual(Object.keys(EXAMPLES))
  })

  test('every example compiles, and the table of codes is exactly azmi ErrorCode', async () => {
    const { examples } = await pageExamples()
    const page = await readFile(PAGE, 'utf8')
    const codes = tableCodes(page, '<!-- codes -->')
    const everyCode = [
      "import type { ErrorCode } from '@azmi/node-io'",
      // a missing code fails as a missing property, a code that does not exist as an excess one
      `export const listed: Record<ErrorCode, true> = { ${codes.map((code) => `${code}: true`).join(', ')} }`,
    ].join('\n')
    const files = new Map([
      ...examples.map((example) => [virtualPath(example.name), example.code] as const),
      [`${HOMES.interop}test/migration-error-codes.ts`, everyCode],
    ])
    expect(typeProblems(files)).toEqual([])
    expect(codes).toEqual(tableCodes(await readFile(README, 'utf8'), '| `code` | class | when |'))
    expect(codes).toHaveLength(20)
  })
})

// -------------------------------------------------------------------------------------
// the examples that run
// -------------------------------------------------------------------------------------

/** The example as JavaScript: types stripped, as tsx would (an `-e` script is not transformed). */
const javaScriptOf = (code: string) =>
  ts.transpileModule(code, {
    compilerOptions: {
      module: ts.ModuleKind.ESNext,
      target: ts.ScriptTarget.ES2022,
      verbatimModuleSyntax: true,
    },
  }).outputText

const runExample = async (code: string, run: Run): Promise<Ran> => {
  const emu = emulator()
  const chosen = typeof run.environment === 'function' ? run.environment(emu) : emu.env(run.environment)
  // whatever the example does, IMDS is the emulator's, never 169.254.169.254
  const env = {
    AZURE_POD_IDENTITY_AUTHORITY_HOST: emu.env('Imds').AZURE_POD_IDENTITY_AUTHORITY_HOST ?? '',
    ...chosen,
  }
  run.before?.(emu)
  const child = await runProcess(
    process.execPath,
    ['--conditions=azmi-source', '--import', 'tsx', '--input-type=module', '-e', javaScriptOf(code)],
    { cwd: HOMES[run.home ?? 'interop'], env },
  )
  return { ...child, lines: stdoutLines(child), requests: [...emu.requests] }
}

const RUN_EXAMPLES = Object.entries(EXAMPLES).flatMap(([name, example]) =>
  'run' in example ? [[name, example.run] as const] : [],
)

describe('the azmi examples, run against the emulator as the page shows them', () => {
  test.each(RUN_EXAMPLES)('%s', async (name, run) => {
    const example = (await pageExamples()).examples.find((each) => each.name === name)
    expect(example).toBeDefined()
    const ran = await runExample(example?.code ?? '', run)
    expect({ exit: ran.exit, code: ran.code, stderr: run.writesStderr ? '' : ran.stderr }).toEqual({
      exit: 'exited',
      code: 0,
      stderr: '',
    })
    run.check(ran)
  })
})

// -------------------------------------------------------------------------------------
// what the page says about @azure/identity 4.13.1
// -------------------------------------------------------------------------------------

/** The error `construct` throws, or `undefined` when it throws none. */
const thrownBy = (construct: () => unknown): unknown => {
  try {
    construct()
  } catch (error) {
    return error
  }
  return undefined
}

const incumbent = (options: unknown) =>
  runIncumbent({ env: emulator().env('AppService'), scope: SCOPE, options } as IncumbentScenario)
const clientIdsSent = () => emulator().requests.map((request) => request.query.client_id)

describe("the page's claims about @azure/identity 4.13.1, and azmi's side of each", () => {
  test("it accepts App Service's token for the other identity; azmi discards it", async () => {
    const { user, system } = emulator().identities
    emulator().script('AppService', [{ lie: 'identity' }])
    const outcome = await incumbent({ clientId: user.clientId })
    expect(outcome).toMatchObject({ outcome: 'token', from: 'managedIdentity' })
    expect(decodeJwtPayload(outcome.outcome === 'token' ? outcome.token : '')).toMatchObject({
      appid: system.clientId,
    })

    emulator().script('AppService', [{ lie: 'identity' }])
    const azmi = new ManagedIdentityCredential({ env: emulator().env('AppService'), clientId: user.clientId })
    await expect(azmi.getToken(SCOPE)).rejects.toMatchObject({ code: 'identity_not_confirmed' })
  })

  test("it drops { clientId: '' } for the system-assigned identity and sends { clientId: 1234 }; azmi throws", async () => {
    expect(await incumbent({ clientId: '' })).toMatchObject({ outcome: 'token', from: 'managedIdentity' })
    await incumbent({ clientId: 1234 })
    expect(clientIdsSent()).toEqual([undefined, '1234'])

    for (const clientId of ['', 1234]) {
      expect(
        thrownBy(
          () => new ManagedIdentityCredential({ env: emulator().env('AppService'), clientId } as never),
        ),
      ).toMatchObject({ name: 'CredentialUnavailableError', code: 'invalid_configuration' })
    }
  })

  test('it fails with a TypeError for a number as its argument, a plain Error for two ids', async () => {
    const { user } = emulator().identities
    expect(await incumbent(1234)).toMatchObject({ outcome: 'error', name: 'TypeError' })
    expect(await incumbent({ clientId: user.clientId, objectId: user.objectId })).toMatchObject({
      outcome: 'error',
      name: 'Error',
    })
    expect(emulator().requests).toEqual([])
  })

  test("azmi's errors carry @azure/identity's names, but are not instances of its classes", async () => {
    const env = { IDENTITY_ENDPOINT: emulator().env('AppService').IDENTITY_ENDPOINT ?? '' }
    const error = await new ManagedIdentityCredential({ env }).getToken(SCOPE).then(
      () => undefined,
      (reason: unknown) => reason,
    )
    expect(error).toMatchObject({ name: new IdentityUnavailableError('').name, code: 'no_source' })
    expect(error instanceof IdentityUnavailableError).toBe(false)
  })
})
