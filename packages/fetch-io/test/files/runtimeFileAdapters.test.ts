/**
 * `denoReadFile` and `bunReadFile` in their real runtimes, on real files: a regular file, a
 * symbolic link to it, a directory, a FIFO, a file over the limit and a missing path.
 */
import { mkdir, symlink, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import * as runtimes from '../support/runtimes.js'

const { bundleFetchIo, bunExecutable, denoExecutable, run, scratchDirectoryPerFile, writeScript } = runtimes

const MAX_BYTES = 4096
const TOKEN_TEXT = '\uFEFFeyJhbGciOiJSUzI1NiJ9.payload.signature\n'
const ENTRIES = ['token', 'link', 'directory', 'fifo', 'big', 'missing'] as const

const scratchDirectory = scratchDirectoryPerFile()
let scratch = ''
let files = ''
beforeAll(async () => {
  scratch = scratchDirectory()
  files = join(scratch, 'files')
  await mkdir(join(files, 'directory'), { recursive: true })
  await writeFile(join(files, 'token'), TOKEN_TEXT)
  await symlink(join(files, 'token'), join(files, 'link'))
  await writeFile(join(files, 'big'), 'x'.repeat(MAX_BYTES + 1))
  const mkfifo = await run('mkfifo', [join(files, 'fifo')])
  if (mkfifo.code !== 0) throw new Error(`mkfifo failed: ${mkfifo.stderr}`)
  await bundleFetchIo('src/index.ts', join(scratch, 'fetch-io.mjs'))
  await bundleFetchIo('src/bun.ts', join(scratch, 'fetch-io-bun.mjs'), 'node')
}, 60_000)

/** A script that reads every entry (and `extra` paths) with `readFile` and prints the outcomes as JSON. */
const readEverything = (importLine: string, extra: ReadonlyArray<string> = []): string => `${importLine}
  const paths = ${JSON.stringify([...ENTRIES.map((name) => join(files, name)), ...extra])}
  const outcomes = []
  for (const path of paths) outcomes.push(await readFile(path, ${MAX_BYTES}))
  console.log(JSON.stringify(outcomes))`

/** What both runtimes must say about the six entries, in order. */
const expectedOutcomes = [
  { _tag: 'Right', right: TOKEN_TEXT },
  { _tag: 'Left', left: { _tag: 'FileFailure', kind: 'not-regular-file' } },
  { _tag: 'Left', left: { kind: 'not-regular-file' } },
  { _tag: 'Left', left: { kind: 'not-regular-file' } },
  { _tag: 'Left', left: { kind: 'too-large' } },
  { _tag: 'Left', left: { kind: 'not-found' } },
]

describe('denoReadFile on Deno', () => {
  it('reads the regular file and refuses the rest, by kind', async () => {
    const script = readEverything("import { denoReadFile as readFile } from './fetch-io.mjs'")
    const path = await writeScript(scratch, 'read-deno.mjs', script)
    const { code, stdout, stderr } = await run(denoExecutable(), [
      'run',
      '--no-prompt',
      `--allow-read=${files}`,
      path,
    ])
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' })
    expect(JSON.parse(stdout)).toMatchObject(expectedOutcomes)
  }, 60_000)

  it("reports a path outside --allow-read as permission (Deno's NotCapable)", async () => {
    const outside = join(scratch, 'fetch-io.mjs')
    const script = readEverything("import { denoReadFile as readFile } from './fetch-io.mjs'", [outside])
    const path = await writeScript(scratch, 'read-deno-outside.mjs', script)
    const { code, stdout } = await run(denoExecutable(), [
      'run',
      '--no-prompt',
      `--allow-read=${files}`,
      path,
    ])
    expect(code).toBe(0)
    expect(JSON.parse(stdout)).toMatchObject([
      ...expectedOutcomes,
      { _tag: 'Left', left: { kind: 'permission' } },
    ])
  }, 60_000)
})

describe('bunReadFile on Bun', () => {
  it('reads the regular file and refuses the rest, by kind', async () => {
    const script = readEverything("import { bunReadFile as readFile } from './fetch-io-bun.mjs'")
    const path = await writeScript(scratch, 'read-bun.mjs', script)
    const { code, stdout, stderr } = await run(await bunExecutable(), ['run', path])
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' })
    expect(JSON.parse(stdout)).toMatchObject(expectedOutcomes)
  }, 60_000)
})
