/**
 * What a test starts it must not outlive: servers, transports, proxies, emulators. A file asks
 * for its resources once, at the top level ({@link resourcesPerTest}), or a concurrent test for
 * its own ({@link resourcesOf}); whatever is deferred to them during a test is closed after
 * that test, the last first, whether it passed or not.
 */
import { afterEach, type TestContext } from 'vitest'
import { type Handler, type KeyPair, startServer, type TestServer } from './localServers.js'

/** The part of a test's context that ties a resource to that test, even when tests run concurrently. */
export type TestScope = Pick<TestContext, 'onTestFinished'>

/** Something to do once the test is over. */
export type Cleanup = () => unknown

/** Where a test registers what must end with it. */
export interface TestResources {
  /** Run `cleanup` after the test. */
  readonly defer: (cleanup: Cleanup) => void
  /** `resource`, whose `close()` runs after the test. */
  readonly closing: <R extends { readonly close: Cleanup }>(resource: R) => R
  /** A {@link startServer} server, closed after the test. */
  readonly serve: (handler: Handler, tls?: KeyPair) => Promise<TestServer>
}

const resourcesDeferredTo = (defer: (cleanup: Cleanup) => void): TestResources => {
  const closing = <R extends { readonly close: Cleanup }>(resource: R): R => {
    defer(() => resource.close())
    return resource
  }
  return { defer, closing, serve: async (handler, tls) => closing(await startServer(handler, tls)) }
}

/** Resources of whichever test of this file is running; call at the top level of the file. */
export const resourcesPerTest = (): TestResources => {
  const cleanups: Cleanup[] = []
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
  })
  return resourcesDeferredTo((cleanup) => {
    cleanups.push(cleanup)
  })
}

/** Resources of one test (its context), for tests that run concurrently. */
export const resourcesOf = (test: TestScope): TestResources =>
  resourcesDeferredTo((cleanup) =>
    test.onTestFinished(async () => {
      await cleanup()
    }),
  )
