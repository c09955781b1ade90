import { packageBuild } from '../../tsup.shared.js'

export default packageBuild({
  entry: ['src/index.ts', 'src/main.ts', 'src/demo.ts'],
  // A command first: ES module only. The declarations cover the importable entry (`runCli`, `runDemo`).
  format: ['esm'],
  dts: { entry: 'src/index.ts' },
})
