/**
 * The README's example property test is `examples/properties.mjs`, shown verbatim: the README
 * and the file agree, and the file runs under plain node (from the sources, through tsx), its
 * `fc.assert`s throwing if a property fails. The consumer test (scripts/consumer) runs the
 * same block from the packed tarball.
 */
import { execFile } from 'node:child_process'
import { readFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { expect, test } from 'vitest'

const here = new URL('../', import.meta.url)

test('the README embeds examples/properties.mjs verbatim', async () => {
  const readme = await readFile(new URL('README.md', here), 'utf8')
  const block = /<!-- example: property-test -->\n```js\n([\s\S]*?)\n```\n/.exec(readme)?.[1]
  expect(block).toBe((await readFile(new URL('examples/properties.mjs', here), 'utf8')).trimEnd())
})

test('the example property test runs with node, and its properties hold', async () => {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ['--conditions=azmi-source', '--import', 'tsx', 'examples/properties.mjs'],
    { cwd: fileURLToPath(here), env: { PATH: process.env.PATH ?? '' } },
  )
  expect(stdout.trim()).toBe('2 properties held, 100 runs each')
}, 60_000)
