/** `azmi emulate`: run the emulator and print the variables that select each environment. */
import { SOURCE_NAMES } from '@azmi/core'
import { type EnvironmentName, formatEnvironment, startEmulator } from '@azmi/emulator'

/** Every hosting environment the emulator impersonates, in the core's precedence order. */
export const ENVIRONMENT_NAMES: ReadonlyArray<EnvironmentName> = SOURCE_NAMES

export const isEnvironmentName = (value: string): value is EnvironmentName =>
  (ENVIRONMENT_NAMES as ReadonlyArray<string>).includes(value)

/** Start the emulator and print exports; resolves when the process is asked to stop. */
export const emulate = async (
  only: EnvironmentName | undefined,
  write: (text: string) => void,
): Promise<void> => {
  const emulator = await startEmulator()
  for (const name of only === undefined ? ENVIRONMENT_NAMES : [only]) {
    write(`# ${name}\n${formatEnvironment(emulator.env(name), 'sh')}\n`)
  }
  write(
    `# Entra ID and Service Fabric use test certificates; trust the CA with:\n# export NODE_EXTRA_CA_CERTS=<file containing emulator.caCertificatePem>\n`,
  )
  write(`# Emulator listening at ${emulator.url} and ${emulator.tlsUrl}. Press Ctrl+C to stop.\n`)
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve)
    process.once('SIGTERM', resolve)
  })
  await emulator.close()
}
