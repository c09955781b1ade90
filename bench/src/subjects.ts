/**
 * What is measured: the two azmi shells and `@azure/identity`, each loaded from what a user
 * installs (the packages' built `dist`), and the hosting environments they are measured in.
 */
import type { TokenCredential } from '@azure/core-auth'

export type SubjectId = 'node-io' | 'fetch-io' | 'peer'

export interface Subject {
  readonly id: SubjectId
  /** The package the credential comes from. */
  readonly label: string
}

export const subjects: ReadonlyArray<Subject> = [
  { id: 'node-io', label: '@azmi/node-io' },
  { id: 'fetch-io', label: '@azmi/fetch-io' },
  { id: 'peer', label: '@azure/identity 4.13.1' },
]

export const azmiSubjects = subjects.filter((subject) => subject.id !== 'peer')

/** App Service, and IMDS reached through `AZURE_POD_IDENTITY_AUTHORITY_HOST`. */
export type EnvironmentName = 'AppService' | 'Imds'

export const environmentNames: ReadonlyArray<EnvironmentName> = ['AppService', 'Imds']

/** The scope every subject asks for. */
export const SCOPE = 'https://storage.azure.com/.default'

/** What every subject is: an `@azure/core-auth` `TokenCredential` (node-io's also has `close`). */
export type Credential = TokenCredential & { close?(): void }

/** A credential factory for one subject; call it once per credential wanted. */
export type NewCredential = () => Credential

/**
 * Import one subject's `ManagedIdentityCredential` and return its factory. Every subject reads
 * the environment the parent put in `process.env`: node-io and `@azure/identity` by default,
 * fetch-io because it is handed `process.env` (it never reads a global itself).
 */
export const loadSubject = async (id: SubjectId): Promise<NewCredential> => {
  switch (id) {
    case 'node-io': {
      const { ManagedIdentityCredential } = await import('@azmi/node-io')
      return () => new ManagedIdentityCredential()
    }
    case 'fetch-io': {
      const { ManagedIdentityCredential } = await import('@azmi/fetch-io')
      return () => new ManagedIdentityCredential({ env: { ...process.env } })
    }
    case 'peer': {
      const { ManagedIdentityCredential } = await import('@azure/identity')
      return () => new ManagedIdentityCredential()
    }
  }
}
