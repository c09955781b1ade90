/**
 * A `fetch` for fetch-io that trusts the emulator's test CA.
 *
 * Node's global fetch trusts only the bundled roots (and `NODE_EXTRA_CA_CERTS`, read once at
 * start-up), so it cannot reach the emulated Entra ID endpoint, which workload identity must
 * reach over https. fetch-io takes a `fetch` option for exactly this; here it is undici's own
 * fetch with a dispatcher that trusts the CA. fetch-io still builds the `Request`, arms the
 * deadline, caps the body and classifies failures: only the connection's trust differs.
 */
import { Agent, fetch as undiciFetch } from 'undici'

export interface CaTrustingFetch {
  readonly fetch: typeof fetch
  /** Close the dispatcher's connections. */
  readonly close: () => Promise<void>
}

export const caTrustingFetch = (caPem: string): CaTrustingFetch => {
  const dispatcher = new Agent({ connect: { ca: caPem } })
  const send = async (input: Request): Promise<Response> => {
    // undici's fetch does not accept another implementation's Request: copy it field by field.
    const body = input.method === 'GET' || input.method === 'HEAD' ? undefined : await input.text()
    const response = await undiciFetch(input.url, {
      method: input.method,
      headers: [...input.headers],
      redirect: input.redirect,
      signal: input.signal,
      dispatcher,
      ...(body === undefined ? {} : { body }),
    })
    return response as unknown as Response
  }
  return { fetch: send as unknown as typeof fetch, close: () => dispatcher.close() }
}
