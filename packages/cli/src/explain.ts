/** `azmi explain`: which hosting environment the current variables select, and why. */
import { type Environment, explainSelection, selectSource } from '@azmi/core'
import { renderTable } from './table.js'

export const explain = (env: Environment): { readonly text: string; readonly exitCode: number } => {
  const verdicts = explainSelection(env)
  const selection = selectSource(env)
  const table = renderTable(
    ['source', 'verdict', 'why'],
    verdicts.map((verdict) => [verdict.source, verdict.outcome, verdict.reason]),
  )
  const summary =
    selection._tag === 'Right'
      ? `Selected: ${selection.right._tag}`
      : `No usable source (${selection.left.code}): ${selection.left.message}`
  return { text: `${table}\n\n${summary}`, exitCode: selection._tag === 'Right' ? 0 : 3 }
}
