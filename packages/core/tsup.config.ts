import { packageBuild } from '../../tsup.shared.js'

export default packageBuild({ inline: ['fp-ts', 'io-ts'] })
