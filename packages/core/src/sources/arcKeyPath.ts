/**
 * Which key files an Arc challenge may point azmi at.
 *
 * The challenge comes from whatever answers at `IDENTITY_ENDPOINT`; the file it names is read
 * and its contents sent back. Unchecked, a hostile endpoint could make azmi read any file
 * and hand it over, so the path must sit directly in the agent's token directory and name a
 * `.key` file. The shell then refuses links, non-regular files and anything over 4 KiB.
 *
 * @see https://learn.microsoft.com/azure/azure-arc/servers/managed-identity-authentication
 * @since 0.1.0
 */
import * as E from 'fp-ts/lib/Either.js'
import type { Platform } from '../capabilities.js'
import { type ArcKeyFile, type ArcKeyRule, arcKeyFile } from '../errors.js'

/** The only directory an Arc key file may be read from on Linux. */
export const LINUX_KEY_DIRECTORY = '/var/opt/azcmagent/tokens'
/** The key directory below `%ProgramData%` on Windows. */
export const WINDOWS_KEY_SUBDIRECTORY = 'AzureConnectedMachineAgent\\Tokens'
/** Larger key files are refused before they are read. */
export const MAX_KEY_BYTES = 4096

const refuse = (rule: ArcKeyRule, problem: string): E.Either<ArcKeyFile, string> =>
  E.left(
    arcKeyFile({
      source: 'AzureArc',
      rule,
      message: `Refused the Azure Arc key file named by the endpoint's challenge: ${problem}. The file was not read.`,
    }),
  )

const splitPath = (path: string, separator: string) => {
  const index = path.lastIndexOf(separator)
  return { directory: path.slice(0, index), name: path.slice(index + 1) }
}

/** The directory the platform's agent keeps its keys in, or why there is none. */
const keyDirectory = (platform: Platform): E.Either<ArcKeyFile, { directory: string; separator: string }> => {
  if (platform.os === 'linux') return E.right({ directory: LINUX_KEY_DIRECTORY, separator: '/' })
  if (platform.os === 'win32') {
    const programData = platform.programData?.replace(/[\\/]+$/, '')
    if (programData === undefined || programData === '') {
      return refuse('platform', 'the ProgramData directory is unknown on this Windows machine') as E.Either<
        ArcKeyFile,
        never
      >
    }
    return E.right({ directory: `${programData}\\${WINDOWS_KEY_SUBDIRECTORY}`, separator: '\\' })
  }
  return refuse('platform', 'Azure Arc is only supported on Linux and Windows') as E.Either<ArcKeyFile, never>
}

/** Check a challenge's realm path against every rule, naming the first one it breaks. */
export const validateKeyPath = (path: string, platform: Platform): E.Either<ArcKeyFile, string> => {
  const home = keyDirectory(platform)
  if (E.isLeft(home)) return home
  const { directory, separator } = home.right
  const normalised = separator === '\\' ? path.replace(/\//g, '\\') : path
  if (normalised.split(separator).some((segment) => segment === '..' || segment === '.')) {
    return refuse('traversal', 'the path contains "." or ".." segments')
  }
  const parts = splitPath(normalised, separator)
  const sameDirectory =
    separator === '\\'
      ? parts.directory.toLowerCase() === directory.toLowerCase()
      : parts.directory === directory
  if (!sameDirectory) return refuse('directory', `the file is not directly inside ${directory}`)
  if (separator === '\\' && isWindowsDevice(parts.name))
    return refuse('name', 'the file name is a Windows device or an alternate data stream')
  if (!parts.name.endsWith('.key') || parts.name === '.key')
    return refuse('extension', 'the file name does not end in ".key"')
  return E.right(normalised)
}

/**
 * `CON.key` opens the console and `a.key:stream` an NTFS alternate data stream, whatever the
 * directory says: neither is the agent's key file. (Also `CONIN$`, `CONOUT$`, and names with a
 * trailing dot or space, which Windows strips.)
 */
const WINDOWS_DEVICE = /^(CON|PRN|AUX|NUL|COM[0-9¹²³]|LPT[0-9¹²³]|CONIN\$|CONOUT\$)$/i
const isWindowsDevice = (name: string): boolean => {
  // Windows ignores what follows the first dot, and trailing dots and spaces, when it looks for a device
  const base = (name.split('.')[0] ?? '').replace(/[. ]+$/, '')
  return name.includes(':') || WINDOWS_DEVICE.test(base)
}
