import { packageBuild } from '../../tsup.shared.js'

export default packageBuild({
  // `bun` is its own entry so that the main one never pulls in `node:fs/promises`.
  entry: ['src/index.ts', 'src/bun.ts'],
  // `left`, `right` and `isLeft` inlined from fp-ts's ES modules, as in core.
  inline: ['fp-ts'],
})
