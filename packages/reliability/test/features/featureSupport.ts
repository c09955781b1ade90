/**
 * What the feature tests share beyond `../support/shells.ts`: each shell's public credential,
 * let go of after the test that opened it, and node-io's transport, which fetch-io is handed
 * for what fetch cannot do (pin Service Fabric's certificate, verify the AKS token proxy
 * against its own CA under its own server name).
 */
import { createNodeTransport } from '@azmi/node-io'
import { type Clock, resourcesPerTest } from '@azmi/test-support'
import { afterAll } from 'vitest'
import {
  baseCredentialFor,
  credentialFor,
  type Harness,
  type HarnessOptions,
  type Shell,
} from '../support/shells.js'

/** Opens harnesses whose connections are closed after the test that opened them. */
export interface HarnessesPerTest {
  /** `credentialFor`: the shell's public `ManagedIdentityCredential`. */
  readonly open: (shell: Shell, options: HarnessOptions) => Harness
  /** `baseCredentialFor`: the core's credential over the shell's capabilities, on `clock`. */
  readonly openOnClock: (shell: Shell, options: HarnessOptions, clock: Clock) => Harness
}

/** {@link HarnessesPerTest} for this file; call at its top level. */
export const harnessesPerTest = (): HarnessesPerTest => {
  const resources = resourcesPerTest()
  return {
    open: (shell, options) => resources.closing(credentialFor(shell, options)),
    openOnClock: (shell, options, clock) => resources.closing(baseCredentialFor(shell, options, clock)),
  }
}

/** node-io's transport for the whole file, closed after it; it reads no environment. */
export const nodeTransportPerFile = (): ReturnType<typeof createNodeTransport> => {
  const transport = createNodeTransport({ env: {} })
  afterAll(() => transport.close())
  return transport
}
