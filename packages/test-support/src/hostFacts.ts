/**
 * Facts about the machine the tests run on that decide which tests can run here.
 */

/**
 * Whether this process is root on Linux. Only then does the emulator write Azure Arc's key
 * files into `/var/opt/azcmagent/tokens` (core's `LINUX_KEY_DIRECTORY`), the one directory a
 * careful client reads them from; elsewhere it falls back to a temporary directory, which the
 * credential rightly refuses, so the Arc flow cannot succeed and the tests that need it skip.
 * Root is also what placing links, FIFOs or oversized files in that directory takes.
 */
export const isLinuxRoot: boolean = process.platform === 'linux' && process.getuid?.() === 0
