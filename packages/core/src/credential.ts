/**
 * `ManagedIdentityCredential` for any runtime: the `@azure/core-auth` `TokenCredential`
 * shape over the pure client. A shell subclasses it, supplying its capabilities and, in
 * Node, a default environment snapshot.
 *
 * @since 0.1.0
 */
import * as E from 'fp-ts/lib/Either.js'
import type { Capabilities } from './capabilities.js'
import {
  createManagedIdentityClient,
  type ManagedIdentityClient,
  type ManagedIdentityOptions,
  type TokenOptions,
} from './client.js'
import { explainSelection, type Verdict } from './select.js'
import type { SourceName } from './sourceList.js'
import { toThrown } from './thrown.js'
import type { AccessToken } from './token.js'

/**
 * The credential every shell's `ManagedIdentityCredential` extends: `@azure/core-auth`'s
 * `TokenCredential` over the pure client, throwing the `@azure/identity`-named errors.
 */
export class ManagedIdentityCredentialBase {
  readonly #client: ManagedIdentityClient
  readonly #options: ManagedIdentityOptions
  readonly #capabilities: Capabilities

  /**
   * Option mistakes (two ids at once, an empty id) throw here, as `@azure/identity` does;
   * environment problems surface from `getToken`, where a credential chain can react to them.
   */
  constructor(options: ManagedIdentityOptions, capabilities: Capabilities) {
    this.#options = options
    this.#capabilities = capabilities
    this.#client = createManagedIdentityClient(options, capabilities)
    const { selection } = this.#client
    if (
      E.isLeft(selection) &&
      selection.left._tag === 'InvalidConfiguration' &&
      selection.left.source === undefined
    ) {
      throw toThrown(selection.left)
    }
  }

  /** The hosting environment in use, or `undefined` when none can be. */
  get sourceName(): SourceName | undefined {
    const { selection } = this.#client
    return E.isRight(selection) ? selection.right._tag : undefined
  }

  /** Why this environment selects the source it does; never shows a secret value. */
  explain(): ReadonlyArray<Verdict> {
    return explainSelection(this.#options.env, this.#capabilities.platform)
  }

  /**
   * Get an access token for exactly one scope.
   * @throws CredentialUnavailableError, AuthenticationError or AbortError, each with a `code`.
   */
  async getToken(scopes: string | string[], options?: TokenOptions): Promise<AccessToken> {
    const result = await this.#client.getToken(scopes, options)
    if (E.isLeft(result)) throw toThrown(result.left)
    return result.right
  }
}
