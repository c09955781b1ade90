/**
 * Node's own `fetch`, trusting an extra CA (the emulator's test CA, for the emulated Entra ID
 * endpoint that workload identity reaches over https).
 *
 * Node's fetch trusts only its bundled roots (and `NODE_EXTRA_CA_CERTS`, read once at start),
 * but accepts undici's non-standard `dispatcher` option. The dispatcher must be an `Agent` of
 * the undici bundled inside Node, which is not importable; undici publishes its global
 * dispatcher under `Symbol.for('undici.globalDispatcher.1')` (the key its versions share to
 * find each other), and that dispatcher's class is the `Agent` wanted. fetch-io still builds
 * the request, arms the deadline, caps the body and classifies failures: only the
 * connection's trust differs.
 */
import { afterAll } from 'vitest'

/** A `fetch` that trusts one more CA, and how to let go of its connections. */
export interface CaTrustingFetch {
  readonly fetch: typeof fetch
  readonly close: () => Promise<void>
}

interface Dispatcher {
  close(): Promise<void>
}
type AgentClass = new (options: { readonly connect: { readonly ca: string } }) => Dispatcher

const GLOBAL_DISPATCHER = Symbol.for('undici.globalDispatcher.1')

/** The `Agent` class of Node's undici; its global dispatcher exists once fetch has run. */
const bundledAgent = async (): Promise<AgentClass> => {
  // a data: URL runs fetch without opening a connection
  await (await fetch('data:,')).text()
  const dispatcher = (globalThis as Record<symbol, unknown>)[GLOBAL_DISPATCHER]
  if (typeof dispatcher !== 'object' || dispatcher === null)
    throw new Error("Node's fetch has no global dispatcher to take the Agent class from")
  return dispatcher.constructor as AgentClass
}

/** Node's fetch, trusting `caPem` besides its own roots. */
export const caTrustingFetch = (caPem: string): CaTrustingFetch => {
  let dispatcher: Promise<Dispatcher> | undefined
  const trusting = () => {
    dispatcher ??= bundledAgent().then((Agent) => new Agent({ connect: { ca: caPem } }))
    return dispatcher
  }
  return {
    fetch: async (input, init) => fetch(input, { ...init, dispatcher: await trusting() } as RequestInit),
    close: async () => {
      await (await dispatcher)?.close()
    },
  }
}

/**
 * One {@link caTrustingFetch} per CA for the whole test file, all closed after its tests.
 * Call at the top level of the file.
 */
export const caTrustingFetchPerFile = (): ((caPem: string) => typeof fetch) => {
  const fetches = new Map<string, CaTrustingFetch>()
  afterAll(async () => {
    await Promise.all([...fetches.values()].map((each) => each.close()))
    fetches.clear()
  })
  return (caPem) => {
    const existing = fetches.get(caPem) ?? caTrustingFetch(caPem)
    fetches.set(caPem, existing)
    return existing.fetch
  }
}
