/**
 * The built-ins only https endpoints need, loaded when the first https request is made.
 *
 * Most hosting environments (IMDS, App Service, Arc, Azure ML, Cloud Shell) speak plain http;
 * Service Fabric and workload identity's Entra endpoint are the https ones. Importing
 * `node:https`, `node:tls` and `node:crypto` as ES modules took ~7 ms of a ~14 ms start-up
 * (`pnpm bench`): `https` loads all of TLS, and the namespace of an imported built-in reads
 * every export, lazy ones included (`tls.rootCertificates` parses the Mozilla bundle,
 * `crypto.webcrypto` loads Web Crypto). `process.getBuiltinModule` (Node ≥ 20.16) returns the
 * CommonJS module, without building a namespace, when it is first asked for.
 *
 * @since 0.1.0
 */

/** `node:https`, for the https agents and requests. */
export const loadHttps = (): typeof import('node:https') => process.getBuiltinModule('node:https')

/** `node:tls`, for the Mozilla roots that extra CA certificates are added to. */
export const loadTls = (): typeof import('node:tls') => process.getBuiltinModule('node:tls')

/** `node:crypto`, for Service Fabric's certificate thumbprint. */
export const loadCrypto = (): typeof import('node:crypto') => process.getBuiltinModule('node:crypto')
