import { packageBuild } from '../../tsup.shared.js'

// `left`, `right` and `isLeft` inlined from fp-ts's ES modules, as in core.
export default packageBuild({ inline: ['fp-ts'] })
