/**
 * Azure Arc found by its agent rather than by variables (docs/protocol.md §1.2 rule 4, §2.4): a
 * service on an Arc server may not see `IDENTITY_ENDPOINT`, but the agent's `himds` binary is
 * there, and the credential then talks to the agent's default endpoint,
 * `http://127.0.0.1:40342/metadata/identity/oauth2/token`. The emulator listens on that port.
 *
 * Each shell learns of the agent its own way. node-io looks for the binary: `nodePlatform(os,
 * env, exists)` takes the file check as a parameter, so both the Linux path
 * (`/opt/azcmagent/bin/himds`) and the Windows one (`%ProgramFiles%\AzureConnectedMachineAgent
 * \himds.exe`) are exercised here without such a file, and the platform it returns is handed to
 * the credential as the `platform` option (what the constructor uses by default). fetch-io
 * cannot look, so the caller says so with `arcAgentInstalled: true` and names the host's
 * operating system; on Node it is given node-io's file reader for the key. From there on, both
 * shells must behave alike.
 *
 * Port 40342 is shared with the CLI demo: when it stays taken, the tests that need it are
 * skipped and say why. The full flow reads the key from `/var/opt/azcmagent/tokens`, so it
 * needs root on Linux.
 */
import type { Environment, Platform } from '@azmi/core'
import { type Emulator, startEmulator } from '@azmi/emulator'
import { ManagedIdentityCredential as FetchCredential } from '@azmi/fetch-io'
import { ManagedIdentityCredential as NodeCredential, nodePlatform, readRegularFile } from '@azmi/node-io'
import {
  claimsOf,
  isLinuxRoot,
  RESOURCE,
  requestsTo,
  resetEmulator,
  resourcesPerTest,
  SCOPE,
} from '@azmi/test-support'
import { afterAll, afterEach, beforeAll, describe, expect, type TestContext, test } from 'vitest'
import { type Shell, shells } from '../support/shells.js'

const AGENT_PORT = 40342
const AGENT_PATH = '/metadata/identity/oauth2/token'
/** How long another suite may hold the port before these tests give up on it. */
const PORT_WAIT_MS = 10_000

let agent: Emulator | undefined
let unavailable = ''

/** Start the emulator on the agent's port, waiting while another test file holds it. */
const startOnAgentPort = async (): Promise<void> => {
  const since = Date.now()
  for (;;) {
    try {
      agent = await startEmulator({ arcAgentPort: AGENT_PORT })
      return
    } catch (error) {
      if ((error as { code?: unknown }).code !== 'EADDRINUSE') throw error
      if (Date.now() - since > PORT_WAIT_MS) {
        unavailable = `127.0.0.1:${AGENT_PORT} stayed in use for ${PORT_WAIT_MS / 1000} s`
        return
      }
      await new Promise((resolve) => setTimeout(resolve, 100))
    }
  }
}
beforeAll(startOnAgentPort, PORT_WAIT_MS + 5_000)
afterEach(() => {
  if (agent !== undefined) resetEmulator(agent)
})
afterAll(() => agent?.close())
const resources = resourcesPerTest()

/** The emulator on port 40342, or the test is skipped with the reason. */
const agentEmulator = (context: TestContext): Emulator => {
  if (agent === undefined) return context.skip(unavailable)
  return agent
}

const LINUX_HIMDS = '/opt/azcmagent/bin/himds'
const WINDOWS_HIMDS = 'C:\\Program Files\\AzureConnectedMachineAgent\\himds.exe'
/** The variables naming a Windows host's folders, and the platform fields they become. */
const WINDOWS_FOLDERS = { ProgramFiles: 'C:\\Program Files', ProgramData: 'C:\\ProgramData' }
const WINDOWS: Platform = { os: 'win32', programFiles: 'C:\\Program Files', programData: 'C:\\ProgramData' }

/** `exists` for `nodePlatform` that knows one file, and records what it was asked. */
const onlyFile = (present: string) => {
  const asked: string[] = []
  return {
    asked,
    exists: (path: string) => {
      asked.push(path)
      return path === present
    },
  }
}

type HostOs = 'linux' | 'win32'

/** The host as node-io finds it, with the agent's binary there or not. */
const foundByNodeIo = (os: HostOs, installed: boolean): Platform => {
  const binary = os === 'linux' ? LINUX_HIMDS : WINDOWS_HIMDS
  const { exists } = onlyFile(installed ? binary : '/somewhere/else')
  return os === 'linux' ? nodePlatform('linux', {}, exists) : nodePlatform('win32', WINDOWS_FOLDERS, exists)
}

/**
 * `shell`'s public credential on an `os` host with the agent `installed` or not: node-io finds
 * the binary through the injected check, fetch-io is told (`arcAgentInstalled`).
 */
const agentCredential = (
  shell: Shell,
  host: { readonly env: Environment; readonly os: HostOs; readonly installed: boolean },
  options: { readonly retry?: { readonly maxRetries: number } } = {},
) => {
  const { env, os, installed } = host
  if (shell === 'node-io')
    return resources.closing(new NodeCredential({ env, platform: foundByNodeIo(os, installed), ...options }))
  return new FetchCredential({
    env,
    platform: os === 'linux' ? { os: 'linux' } : WINDOWS,
    readFile: readRegularFile,
    ...(installed && { arcAgentInstalled: true }),
    ...options,
  })
}

/** Requests the emulator received on the agent's own port, as the credential sent them. */
const agentLegs = (emulator: Emulator) =>
  requestsTo(emulator, 'AzureArc').map(({ via, path, query, headers }) => ({
    via,
    path,
    resource: query.resource,
    keyed: headers.authorization !== undefined,
  }))

describe('node-io: the himds check injected into nodePlatform(os, env, exists)', () => {
  test('Linux: /opt/azcmagent/bin/himds, the one path asked, marks the agent installed', () => {
    const linux = onlyFile(LINUX_HIMDS)
    expect(nodePlatform('linux', {}, linux.exists)).toEqual({ os: 'linux', arcAgentInstalled: true })
    expect(linux.asked).toEqual([LINUX_HIMDS])
  })

  test('Windows: %ProgramFiles%\\AzureConnectedMachineAgent\\himds.exe marks it installed', () => {
    const windows = onlyFile(WINDOWS_HIMDS)
    expect(nodePlatform('win32', WINDOWS_FOLDERS, windows.exists)).toEqual({
      ...WINDOWS,
      arcAgentInstalled: true,
    })
    expect(windows.asked).toEqual([WINDOWS_HIMDS])
  })

  test('without the binary the platform says nothing of an agent', () => {
    const nowhere = onlyFile('/somewhere/else')
    expect(nodePlatform('linux', {}, nowhere.exists)).toEqual({ os: 'linux' })
  })

  test('Windows without %ProgramFiles% looks for no binary at all', () => {
    const windows = onlyFile(WINDOWS_HIMDS)
    expect(nodePlatform('win32', {}, windows.exists)).toEqual({ os: 'win32' })
    expect(windows.asked).toEqual([])
  })
})

describe.each(shells)('%s: the Arc agent, found (node-io) or reported (fetch-io)', (shell) => {
  test.skipIf(!isLinuxRoot)(
    'Linux, agent installed, no Arc variable: Arc at 127.0.0.1:40342, both legs (root)',
    async (context) => {
      const emulator = agentEmulator(context)
      const credential = agentCredential(shell, { env: {}, os: 'linux', installed: true })
      expect(credential.sourceName).toBe('AzureArc')
      const { token } = await credential.getToken(SCOPE)
      expect(claimsOf(token)).toMatchObject({ aud: RESOURCE, appid: emulator.identities.system.clientId })
      expect(agentLegs(emulator)).toEqual([
        { via: 'arcAgent', path: AGENT_PATH, resource: RESOURCE, keyed: false },
        { via: 'arcAgent', path: AGENT_PATH, resource: RESOURCE, keyed: true },
      ])
    },
  )

  test('Windows, agent installed: Arc at 40342, refused at the key directory', async (context) => {
    const emulator = agentEmulator(context)
    const credential = agentCredential(shell, { env: {}, os: 'win32', installed: true })
    expect(credential.sourceName).toBe('AzureArc')
    // The agent was reached at its default endpoint; the emulator's realm is a Linux path, which
    // Windows' key-directory rule refuses before any file is read, so no keyed leg follows.
    await expect(credential.getToken(SCOPE)).rejects.toMatchObject({
      code: 'arc_key_file',
      details: { rule: 'directory' },
    })
    expect(agentLegs(emulator)).toEqual([
      { via: 'arcAgent', path: AGENT_PATH, resource: RESOURCE, keyed: false },
    ])
  })

  test('without the agent the same empty environment is IMDS (nothing is sent)', () => {
    const credential = agentCredential(shell, { env: {}, os: 'linux', installed: false })
    expect(credential.sourceName).toBe('Imds')
  })

  test('Arc variables take precedence over the agent: their endpoint, not the default', async (context) => {
    // no key is read: the first leg's answer is scripted, so this needs no root
    const emulator = agentEmulator(context)
    emulator.script('AzureArc', [{ status: 500 }])
    const host = { env: emulator.env('AzureArc'), os: 'linux', installed: true } as const
    const credential = agentCredential(shell, host, { retry: { maxRetries: 0 } })
    await expect(credential.getToken(SCOPE)).rejects.toMatchObject({ code: 'arc_challenge' })
    expect(requestsTo(emulator, 'AzureArc').map(({ via, path }) => ({ via, path }))).toEqual([
      { via: undefined, path: '/arc/metadata/identity/oauth2/token' },
    ])
  })
})
