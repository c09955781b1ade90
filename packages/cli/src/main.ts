/** Entry point of the `azmi` command; the logic is in `cli.ts` so tests can run it in-process. */
import { runCli } from './cli.js'

process.exitCode = await runCli(process.argv.slice(2), (text) => process.stdout.write(text), {
  ...process.env,
})
