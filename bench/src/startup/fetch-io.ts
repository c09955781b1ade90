// Import and construct, as a user's program does.
// Prints milliseconds since the process began (`performance.now()`) and the CPU time it used.
import { ManagedIdentityCredential } from '@azmi/fetch-io'

const credential = new ManagedIdentityCredential({ env: { ...process.env } })
const { user, system } = process.cpuUsage()
process.stdout.write(`${performance.now()} ${(user + system) / 1000} ${credential.constructor.name}\n`)
