/**
 * `azmi emulate`: run the emulator and print the variables that select each environment,
 * and the `NODE_EXTRA_CA_CERTS` line that makes Node trust the emulator's test CA (which
 * signs the certificate of the emulated Entra ID endpoint), naming a file this command
 * writes and removes again when it stops. (Service Fabric's self-signed certificate is
 * pinned by its thumbprint instead, which the printed variables carry.)
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
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
  let caFolder: string | undefined
  try {
    caFolder = await mkdtemp(join(tmpdir(), 'azmi-emulate-'))
    const caFile = join(caFolder, 'ca.pem')
    await writeFile(caFile, emulator.caCertificatePem, { mode: 0o600 })
    for (const name of only === undefined ? ENVIRONMENT_NAMES : [only]) {
      write(`# ${name}\n${formatEnvironment(emulator.env(name), 'sh')}\n`)
    }
    write(
      `# The Entra ID endpoint (workload identity) has a certificate from the emulator's test CA; trust it with:\n${formatEnvironment({ NODE_EXTRA_CA_CERTS: caFile }, 'sh')}\n`,
    )
    write(`# Emulator listening at ${emulator.url} and ${emulator.tlsUrl}. Press Ctrl+C to stop.\n`)
    await new Promise<void>((resolve) => {
      process.once('SIGINT', resolve)
      process.once('SIGTERM', resolve)
    })
  } finally {
    await emulator.close()
    if (caFolder !== undefined) await rm(caFolder, { recursive: true, force: true })
  }
}
