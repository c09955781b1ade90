import { packageBuild } from '../../tsup.shared.js'

// The certificates are found relative to import.meta.url, which CommonJS lacks without the shim.
export default packageBuild({ shims: true })
