/**
 * `@azmi/fetch-io/bun`: the Bun file adapter, kept out of the main entry because it imports
 * `node:fs/promises` (Bun's own file API cannot tell a link from its target).
 *
 * @since 0.1.0
 */
export { bunReadFile } from './files/bunReadFile.js'
