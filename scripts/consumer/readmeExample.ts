/**
 * A README's example, as a user copies it: the block after `<!-- example: NAME -->` in the
 * README.md of an installed package (the tarball's copy, not the workspace's), written into
 * the consumer project and run with plain `node`.
 *
 * @module
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { consumerEnvironment, expectSuccess, runCommand } from './commands.js'

/** The `js` block that follows `<!-- example: name -->` in `readme`. */
export const exampleBlock = (readme: string, name: string): string => {
  const block = new RegExp(`<!-- example: ${name} -->\\n\`\`\`js\\n([\\s\\S]*?)\\n\`\`\`\\n`).exec(
    readme,
  )?.[1]
  if (block === undefined) throw new Error(`the README has no js example named ${name}`)
  return block
}

/**
 * A check: writes `pkg`'s README example `name` to `file` in the project and runs it with
 * node; resolves to what it printed.
 */
export const runReadmeExample =
  (pkg: string, name: string, file: string) =>
  async (folder: string): Promise<string> => {
    const readme = readFileSync(join(folder, 'node_modules', pkg, 'README.md'), 'utf8')
    writeFileSync(join(folder, file), `${exampleBlock(readme, name)}\n`)
    const result = await runCommand(process.execPath, [file], {
      cwd: folder,
      env: consumerEnvironment(),
      timeoutMs: 120_000,
    })
    return expectSuccess(`node ${file}`, result).stdout.trim()
  }
