/** `@azmi/cli`: the `azmi` command and the demo, importable for tests. */
export { runCli } from './cli.js'
export { runDemo } from './demo.js'
