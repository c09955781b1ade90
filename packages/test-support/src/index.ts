/** `@azmi/test-support`: scaffolding shared by the test suites of every azmi package (private). */
export type { ConnectProxy, ConnectProxyOptions, ProxiedRequest, ProxyOutcome } from './connectProxy.js'
export { startConnectProxy } from './connectProxy.js'
