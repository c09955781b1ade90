/** `@azmi/azure-pipeline`: an `@azure/core-rest-pipeline` `HttpClient` as azmi's `send`. */
export {}
