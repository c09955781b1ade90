/**
 * The main entry must run where there is no Node: bundling it for esbuild's `neutral`
 * platform (no built-in modules at all) fails on the first `node:` import anywhere in its
 * graph, core included. The Bun entry is the control: it does import `node:fs/promises`, so
 * the same bundle must fail for it, proving the check can fail.
 */
import { readdir, readFile } from 'node:fs/promises'
import { bundleOptions } from '@azmi/test-support'
import { build } from 'esbuild'
import { describe, expect, it } from 'vitest'

const packageRoot = new URL('../', import.meta.url)

const bundleNeutral = (entry: string) =>
  build({ ...bundleOptions(new URL(entry, packageRoot).pathname), metafile: true })

describe('the neutral-platform bundle', () => {
  it('bundles src/index.ts with no Node built-in', async () => {
    const result = await bundleNeutral('src/index.ts')
    expect(result.errors).toEqual([])
    const inputs = Object.keys(result.metafile.inputs)
    expect(inputs.some((input) => input.endsWith('fetch-io/src/index.ts') || input === 'src/index.ts')).toBe(
      true,
    )
    expect(inputs.filter((input) => input.startsWith('node:'))).toEqual([])
  })

  it('fails for the Bun entry, which imports node:fs/promises', async () => {
    await expect(bundleNeutral('src/bun.ts')).rejects.toMatchObject({
      errors: [expect.objectContaining({ text: expect.stringContaining('node:fs/promises') })],
    })
  })

  it('finds `node:` only in the Bun adapter among the sources', async () => {
    const sources = await readdir(new URL('src/', packageRoot), { recursive: true })
    const withNodeImports: string[] = []
    for (const file of sources.filter((name) => name.endsWith('.ts'))) {
      const text = await readFile(new URL(`src/${file}`, packageRoot), 'utf8')
      if (/from '(node:[^']+)'|import\('node:/.test(text)) withNodeImports.push(file)
    }
    expect(withNodeImports).toEqual(['files/bunReadFile.ts'])
  })
})
