/**
 * `pnpm reliability:report`: run the reliability suite, then write `docs/reliability.md` from
 * what it recorded.
 *
 * Every case writes its expected and actual outcome to `packages/reliability/.results/`
 * (git-ignored) before it asserts; vitest's JSON reporter says whether each test passed. The
 * report joins the two, so a case that failed shows both what happened and the red verdict.
 * Nothing in the report depends on timing or randomness that would change between two
 * green runs on the same machine, except a case that really changes outcome.
 *
 * `--skip-run` rewrites the report from the results of the last run.
 */
import { spawnSync } from 'node:child_process'
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { relative } from 'node:path'
import { fileURLToPath } from 'node:url'
// By path: this script runs under plain `node --import tsx`, outside vitest and without the
// `azmi-source` condition the package entry of test-support needs.
import { isLinuxRoot } from '../../test-support/src/hostFacts.js'
import { HOSTILE_GROUPS } from '../test/support/hostileClasses.js'
import type { CaseRecord } from '../test/support/record.js'

const ROOT = fileURLToPath(new URL('../../../', import.meta.url))
const RESULTS = fileURLToPath(new URL('../.results/', import.meta.url))
const VITEST_JSON = `${RESULTS}vitest.json`
const FINDINGS = fileURLToPath(new URL('./findings.md', import.meta.url))
const REPORT = fileURLToPath(new URL('../../../docs/reliability.md', import.meta.url))

const GROUPS = [
  'Faults: transport',
  'Faults: replies',
  'Faults: retries',
  'Hostile input: Azure Arc realms',
  'Hostile input: Service Fabric',
  'Hostile input: redirects',
  'Hostile input: endpoints',
  'Hostile input: secrets',
  'Load',
  'Clean exit (child process)',
  ...HOSTILE_GROUPS,
]
/** Groups shown as a case × source matrix; the others as one row per case. */
const MATRIX_GROUPS = new Set([
  'Faults: transport',
  'Faults: replies',
  'Faults: retries',
  'Hostile input: redirects',
])

// -------------------------------------------------------------------------------------
// the run
// -------------------------------------------------------------------------------------

const runSuite = (): number => {
  rmSync(RESULTS, { recursive: true, force: true })
  const started = performance.now()
  const run = spawnSync(
    process.execPath,
    [
      `${ROOT}node_modules/vitest/vitest.mjs`,
      'run',
      '--project',
      'reliability',
      '--reporter=default',
      '--reporter=json',
      `--outputFile.json=${VITEST_JSON}`,
    ],
    { cwd: ROOT, stdio: 'inherit' },
  )
  process.stdout.write(`\nreliability suite: ${((performance.now() - started) / 1000).toFixed(1)} s\n`)
  return run.status ?? 1
}

// -------------------------------------------------------------------------------------
// reading the results
// -------------------------------------------------------------------------------------

interface VitestJson {
  readonly numTotalTests: number
  readonly numPassedTests: number
  readonly numFailedTests: number
  readonly numPendingTests: number
  readonly testResults: ReadonlyArray<{
    readonly name: string
    readonly assertionResults: ReadonlyArray<{
      readonly ancestorTitles: ReadonlyArray<string>
      readonly title: string
      readonly status: string
    }>
  }>
}

type Verdict = 'passed' | 'failed' | 'not run'

/** Each test's verdict, keyed as the suite's records name tests, in the order tests are defined. */
const readVerdicts = (json: VitestJson) => {
  const verdicts = new Map<string, { readonly status: Verdict; readonly order: number }>()
  let order = 0
  for (const file of json.testResults) {
    const path = relative(ROOT, file.name)
    for (const test of file.assertionResults) {
      const key = [path, ...test.ancestorTitles, test.title].join(' > ')
      const status = test.status === 'passed' ? 'passed' : test.status === 'failed' ? 'failed' : 'not run'
      verdicts.set(key, { status, order })
      order += 1
    }
  }
  return verdicts
}

interface Row extends CaseRecord {
  readonly verdict: Verdict
  readonly order: number
}

const readRows = (verdicts: ReturnType<typeof readVerdicts>): Row[] => {
  const files = readdirSync(RESULTS).filter((name) => name.endsWith('.json') && name !== 'vitest.json')
  const records = files.flatMap(
    (name) => JSON.parse(readFileSync(`${RESULTS}${name}`, 'utf8')) as CaseRecord[],
  )
  return records
    .map((record, index) => {
      const verdict = verdicts.get(record.test)
      // records of one test keep the order the test wrote them in
      return {
        ...record,
        verdict: verdict?.status ?? 'not run',
        order: (verdict?.order ?? 1e9) + index / 1e6,
      }
    })
    .sort((a, b) => a.order - b.order)
}

// -------------------------------------------------------------------------------------
// writing the report
// -------------------------------------------------------------------------------------

const mark = (row: Row) => (row.verdict === 'passed' ? '✅' : row.verdict === 'failed' ? '❌' : '➖')

/** `failed/http_error` → `http_error`: a code belongs to one family (see the legend). */
const shortOutcome = (outcome: string) => outcome.replace(/^(failed|unavailable|configuration)\//, '')

/** Timers fire a little late, more so on a busy machine: a deadline met this closely counts as met. */
const TIMER_GRACE_MS = 100

const withinDeadline = (row: Row) =>
  row.budgetMs === undefined || row.elapsedMs === undefined
    ? undefined
    : row.elapsedMs <= row.budgetMs + TIMER_GRACE_MS

const cell = (row: Row | undefined) => {
  if (row === undefined) return '·'
  const late = withinDeadline(row) === false ? ' ⏱' : ''
  const shown = shortOutcome(row.actual)
  return row.actual === row.expected
    ? `${mark(row)} ${shown}${late}`
    : `${mark(row)} ${shown} (expected ${shortOutcome(row.expected)})${late}`
}

const tableText = (text: string) => text.replaceAll('|', '\\|').replaceAll('\n', ' ')

const matrixTable = (rows: ReadonlyArray<Row>): string[] => {
  const keys = [...new Set(rows.map((row) => `${row.case}\u0000${row.shell}`))]
  // the columns in the order the cases ran them: the precedence order of core's SOURCE_NAMES
  const sources = [...new Set(rows.map((row) => row.source))]
  const lines = [
    `| case | shell | ${sources.join(' | ')} |`,
    `|---|---|${sources.map(() => '---').join('|')}|`,
  ]
  for (const key of keys) {
    const [name = '', shell = ''] = key.split('\u0000')
    const bySource = new Map(
      rows.filter((row) => row.case === name && row.shell === shell).map((row) => [row.source, row]),
    )
    lines.push(
      `| ${tableText(name)} | ${shell} | ${sources.map((source) => cell(bySource.get(source))).join(' | ')} |`,
    )
  }
  return lines
}

const rowTable = (rows: ReadonlyArray<Row>): string[] => [
  '| case | shell | source | expected | actual | within deadline | requests | |',
  '|---|---|---|---|---|---|---|---|',
  ...rows.map((row) => {
    const within = withinDeadline(row)
    const note = row.note === undefined ? '' : ` (${row.note})`
    return `| ${tableText(row.case)}${tableText(note)} | ${row.shell} | ${row.source} | ${tableText(row.expected)} | ${tableText(row.actual)} | ${within === undefined ? '–' : within ? 'yes' : '**no**'} | ${row.requests ?? '–'} | ${mark(row)} |`
  }),
]

const summaryTable = (rows: ReadonlyArray<Row>): string[] => [
  '| group | cases | as expected | test verdicts |',
  '|---|---|---|---|',
  ...GROUPS.map((group) => {
    const inGroup = rows.filter((row) => row.group === group)
    const asExpected = inGroup.filter((row) => row.actual === row.expected).length
    const failed = inGroup.filter((row) => row.verdict !== 'passed').length
    return `| ${group} | ${inGroup.length} | ${asExpected} | ${failed === 0 ? 'all passed' : `**${failed} not passed**`} |`
  }),
]

const render = (json: VitestJson, rows: ReadonlyArray<Row>): string => {
  const timed = rows.filter((row) => withinDeadline(row) !== undefined)
  const late = timed.filter((row) => withinDeadline(row) === false)
  const asRoot = isLinuxRoot
  const lines = [
    '# Reliability and security report',
    '',
    '<!-- Generated by `pnpm reliability:report` (packages/reliability/scripts/report.ts). Do not edit by hand: edit packages/reliability/scripts/findings.md or the suite. -->',
    '',
    'A credential runs inside every request path of its host application: it must never hang it,',
    'crash it or leak its secrets. `packages/reliability` checks this for `@azmi/node-io` and',
    '`@azmi/fetch-io` against `@azmi/emulator` over real sockets on 127.0.0.1 (and `[::1]` for the',
    'IPv6 cases): faults on every hosting environment, hostile input, load, and a process that',
    'must exit on its own. Each case records what happened; this report is written from the',
    'recording of one run.',
    '',
    `**Run:** ${json.numTotalTests} tests: ${json.numPassedTests} passed, ${json.numFailedTests} failed, ${json.numPendingTests} skipped; ${rows.length} recorded cases. Node ${process.version} on ${process.platform}${asRoot ? ' as root, so the Arc cases that need the real key directory ran' : ', not as root, so the Arc cases that need the real key directory were skipped'}.`,
    '',
    `**Bounded time:** every case runs with its own deadline (\`deadlineMs\`, a few seconds; attempt timeouts of 250 ms to 5 s; retries a few milliseconds apart) and checks that no attempt was given more than those limits. ${timed.length - late.length} of ${timed.length} timed calls settled within their deadline (allowing ${TIMER_GRACE_MS} ms for timers that fire late)${late.length === 0 ? '.' : `; **${late.length} did not** (marked ⏱).`} Minutes and hours of credential time (Retry-After, the IMDS 410 window, refresh windows) run on an injected clock. No test asserts on elapsed time: the settled promise and its code are the verdict, and vitest's per-test timeout is only a safety net.`,
    '',
    "**Every test file** also checks that no promise rejection went unhandled (`process.on('unhandledRejection')`, after each test and at the end).",
    '',
    'Regenerate with `pnpm reliability:report` (runs the suite, then writes this file). Plain `pnpm test` runs the same suite and writes only the git-ignored `packages/reliability/.results/`.',
    '',
    '## Summary',
    '',
    ...summaryTable(rows),
    '',
    readFileSync(FINDINGS, 'utf8').trim(),
    '',
    '## Legend',
    '',
    '- Outcomes are `token` or an error `code`. Each code belongs to one family, which decides the',
    '  thrown class: **unavailable** (`CredentialUnavailableError`, a chain moves on):',
    '  `imds_unavailable`, `unsupported_runtime`, `no_source`, `identity_not_assigned`;',
    '  **configuration** (also `CredentialUnavailableError`): `invalid_configuration`,',
    '  `invalid_scope`, `unsupported_identity`; **failed** (`AuthenticationError`, a chain stops):',
    '  everything else (`transport_error`, `timeout`, `http_error`, `invalid_response`,',
    '  `response_too_large`, `certificate_mismatch`, `arc_challenge`, `arc_key_file`,',
    '  `entra_id_error`, `aborted`, ...). The suite checks the family and the class as well.',
    '- ✅ the test that recorded the case passed; ❌ it failed; ➖ it did not run. `·`: not',
    '  applicable (fetch-io cannot pin, so Service Fabric is one case of its own).',
    '- "requests": requests that reached the emulator (for redirects: the other host).',
  ]
  for (const group of GROUPS) {
    const inGroup = rows.filter((row) => row.group === group)
    if (inGroup.length === 0) continue
    lines.push(
      '',
      `## ${group}`,
      '',
      ...(MATRIX_GROUPS.has(group) ? matrixTable(inGroup) : rowTable(inGroup)),
    )
  }
  const unknown = rows.filter((row) => !GROUPS.includes(row.group))
  if (unknown.length > 0) lines.push('', '## Other', '', ...rowTable(unknown))
  return `${lines.join('\n')}\n`
}

// -------------------------------------------------------------------------------------
// main
// -------------------------------------------------------------------------------------

const status = process.argv.includes('--skip-run') ? 0 : runSuite()
const json = JSON.parse(readFileSync(VITEST_JSON, 'utf8')) as VitestJson
const rows = readRows(readVerdicts(json))
writeFileSync(REPORT, render(json, rows))
process.stdout.write(`wrote ${relative(ROOT, REPORT)}: ${rows.length} cases\n`)
process.exitCode = status
