/** `azmi explain`: which hosting environment the current variables (and this host) select, and why. */
import { type Environment, explainSelection, selectSource } from '@azmi/core'
import { nodePlatform } from '@azmi/node-io'
import { printable } from './printable.js'
import { renderTable } from './table.js'

/** The explanation for `env` on this host (the Arc agent's file is looked for, as node-io does). */
export const explain = (env: Environment): { readonly text: string; readonly exitCode: number } => {
  const platform = nodePlatform()
  const verdicts = explainSelection(env, platform)
  const selection = selectSource(env, undefined, platform)
  const table = renderTable(
    ['source', 'verdict', 'why'],
    verdicts.map((verdict) => [verdict.source, verdict.outcome, verdict.reason]),
  )
  const notes = verdicts.flatMap((verdict) => verdict.notes ?? []).map((note) => `Note: ${note}.`)
  const summary =
    selection._tag === 'Right'
      ? [`Selected: ${selection.right._tag}`, ...notes].join('\n')
      : `No usable source (${selection.left.code}): ${printable(selection.left.message)}`
  return { text: `${table}\n\n${summary}`, exitCode: selection._tag === 'Right' ? 0 : 3 }
}
